import GRDB

/// A case with its city's names and its totals, as `case list`, `case show` and `export` print it.
public struct CaseSummary: Sendable, Hashable {
    public var record: Case
    /// The division's short name (汉川).
    public var city: String
    /// The prefecture it rolls up into (孝感), or its own name for a prefecture.
    public var prefecture: String
    public var arrestsInitial: Int
    public var arrestsExtended: Int
    public var gangs: Int
    public var links: Int

    public var id: Int64 { record.id ?? 0 }
    public var arrests: Int { arrestsInitial + arrestsExtended }
    /// 襄阳"1.13"
    public var label: String { CaseLabel.format(city: city, code: record.code, year: nil) }
    /// 襄阳"1.13"@2023
    public var fullLabel: String { CaseLabel.format(city: city, code: record.code, year: record.year) }

    /// The select list that `init(row:)` reads, over `cases c`, `cities ci`, `cities p` and the
    /// case's summed totals `t`.
    static let columns = """
        c.*, ci.short_name AS city_name, coalesce(p.short_name, ci.short_name) AS prefecture_name,
        coalesce(t.arrests_initial, 0) AS total_arrests_initial,
        coalesce(t.arrests_extended, 0) AS total_arrests_extended,
        coalesce(t.gangs, 0) AS total_gangs, coalesce(t.links, 0) AS total_links
        """
    static let joins = """
        JOIN cities ci ON ci.code = c.city
        LEFT JOIN cities p ON p.code = ci.parent
        LEFT JOIN (SELECT case_id, sum(arrests_initial) AS arrests_initial,
                          sum(arrests_extended) AS arrests_extended, sum(gangs) AS gangs, sum(links) AS links
                   FROM case_totals GROUP BY case_id) t ON t.case_id = c.id
        """

    init(row: Row) throws {
        record = try Case(row: row)
        city = row["city_name"]
        prefecture = row["prefecture_name"]
        arrestsInitial = row["total_arrests_initial"]
        arrestsExtended = row["total_arrests_extended"]
        gangs = row["total_gangs"]
        links = row["total_links"]
    }
}

/// A case with every result row, as `case show` prints it.
public struct CaseDetail: Sendable {
    public var summary: CaseSummary
    public var cityFullName: String
    public var arrests: [Arrest]
    public var gangs: [Gang]
    public var links: [ChainLink]
    /// The newest change set that touched the case or its results (nil for a case older than
    /// the audit trail).
    public var lastChange: ChangeSet?
}
