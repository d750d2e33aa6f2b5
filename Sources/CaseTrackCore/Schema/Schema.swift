/// The database schema, embedded at build time from the top-level `schema.sql`.
public enum Schema {
    /// The text of `schema.sql` as it was when this binary was built.
    public static let sql: String = String(decoding: PackageResources.schema_sql, as: UTF8.self)
}
