import GRDB

/// Write rights per bureau on a PostgreSQL register (row-level security in schema-postgres.sql).
public struct BureauGrant: Sendable, Equatable {
    public var role: String
    /// The division the role may write (with the counties under it); nil for the province.
    public var city: String?
    /// What the role could write before this grant, when it had a different grant: the
    /// division's name, or nil (inside) for the province.
    public var replaced: String?? = nil
}

extension CaseStore {
    /// Lets `role` (created when missing, able to log in) read the whole register and write the
    /// cases of `city` and the counties under it; with no city, every case (the province).
    @discardableResult
    public func grantBureau(_ role: String, city: String?) throws -> BureauGrant {
        guard let server else {
            throw CaseTrackError.input("a SQLite register has no roles: bureaus get write rights on a shared PostgreSQL register (--db postgresql://…)")
        }
        try Self.checkRoleName(role)
        let division = try city.map { try self.city(named: $0) }
        var replaced: String?? = nil
        do {
            // The owner (and a superuser) writes every case whatever a grant says: listing a
            // division for it would tell something untrue.
            if try server.value(
                Bool.self,
                "SELECT CASE WHEN EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ?) THEN casetrack_role_is_owner(CAST(? AS name)) ELSE false END",
                [role.databaseValue, role.databaseValue]) == true
            {
                throw CaseTrackError.input(
                    "role \(role) owns the register (or is a superuser) and writes every case whatever a grant says; give the bureau a role of its own (such as xiangyang)")
            }
            if let before = try server.row(
                "SELECT c.short_name, g.city IS NULL AS province FROM bureau_grants g LEFT JOIN cities c ON c.code = g.city WHERE g.role = ?",
                [role.databaseValue])
            {
                let was: String? = (before["province"] as Bool? ?? false) ? nil : before["short_name"]
                if was != division?.shortName { replaced = .some(was) }
            }
            try server.execute("BEGIN", [])
            try server.execute("SELECT casetrack_grant_bureau(?, ?)", [role.databaseValue, division?.code.databaseValue ?? .null])
            try server.execute("COMMIT", [])
        } catch let error as ServerError {
            try? server.execute("ROLLBACK", [])
            if error.sqlState == "42501" {
                throw CaseTrackError.notPermitted("only the register's owner can grant write rights (\(error.message))")
            }
            throw ServerTransaction.translate(error)
        }
        return BureauGrant(role: role, city: division?.shortName, replaced: replaced)
    }

    /// Every role with write rights, and what it may write.
    public func bureauGrants() throws -> [BureauGrant] {
        guard server != nil else { return [] }
        return try readSession { db in
            try db.rows(
                "SELECT g.role::text AS role, c.short_name FROM bureau_grants g LEFT JOIN cities c ON c.code = g.city ORDER BY c.code NULLS FIRST, g.role",
                []
            ).map { BureauGrant(role: $0["role"], city: $0["short_name"]) }
        }
    }

    /// Role names become SQL identifiers: plain lower-case ones only, as psql users type them.
    static func checkRoleName(_ role: String) throws {
        let allowed = role.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
        guard allowed, let first = role.unicodeScalars.first, !("0"..."9").contains(first), role.count <= 63 else {
            throw CaseTrackError.invalidValue(
                field: "role", value: role, expected: "a role name of lower-case letters, digits and _ (such as xiangyang), at most 63 characters")
        }
    }
}
