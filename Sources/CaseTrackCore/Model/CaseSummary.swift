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

    /// The query `init(row:)` reads: cases with their names and summed totals. The totals are
    /// joined and grouped per case, so that a filtered listing reads only its own cases' rows.
    static func query(conditions: [String], orderedBy order: String? = "c.year, c.city, c.code, c.id") -> String {
        var sql = """
            SELECT c.id, c.city, c.code, c.year, c.opened, c.closed, c.category, c.name, c.status, c.source, c.note,
                   c.created_at, c.updated_at, ci.short_name AS city_name, coalesce(p.short_name, ci.short_name) AS prefecture_name,
                   coalesce(sum(t.arrests_initial), 0) AS total_arrests_initial,
                   coalesce(sum(t.arrests_extended), 0) AS total_arrests_extended,
                   coalesce(sum(t.gangs), 0) AS total_gangs, coalesce(sum(t.links), 0) AS total_links
            FROM cases c
            JOIN cities ci ON ci.code = c.city
            LEFT JOIN cities p ON p.code = ci.parent
            LEFT JOIN case_totals t ON t.case_id = c.id
            """
        if !conditions.isEmpty { sql += "\nWHERE " + conditions.joined(separator: " AND ") }
        // Grouped by the keys of every joined table, which PostgreSQL needs and SQLite accepts.
        sql += "\nGROUP BY c.id, ci.code, p.code"
        if let order { sql += "\nORDER BY \(order)" }
        return sql
    }

    /// Reads the columns of `query`: by position from SQLite (listings read many thousands of
    /// rows), by name from a server, whose rows come keyed by name.
    static func read(_ row: Row, byName: Bool) throws -> CaseSummary {
        byName ? try CaseSummary(namedRow: row) : try CaseSummary(row: row)
    }

    private init(namedRow row: Row) throws {
        var record = Case(
            id: row["id"], city: row["city"], code: row["code"], year: row["year"], opened: row["opened"], closed: row["closed"],
            category: row["category"], name: row["name"], status: .open, source: row["source"], note: row["note"])
        guard let status = CaseStatus(rawValue: row["status"] ?? "") else {
            throw CaseTrackError.storage("case \(record.id ?? 0) has an unknown status")
        }
        record.status = status
        record.createdAt = row["created_at"]
        record.updatedAt = row["updated_at"]
        self.record = record
        city = row["city_name"]
        prefecture = row["prefecture_name"]
        arrestsInitial = row["total_arrests_initial"]
        arrestsExtended = row["total_arrests_extended"]
        gangs = row["total_gangs"]
        links = row["total_links"]
    }

    /// Reads the columns of `query` by position.
    init(row: Row) throws {
        var record = Case(
            id: row[0], city: row[1], code: row[2], year: row[3], opened: row[4], closed: row[5], category: row[6],
            name: row[7], status: .open, source: row[9], note: row[10])
        guard let status = CaseStatus(rawValue: row[8] ?? "") else {
            throw CaseTrackError.storage("case \(record.id ?? 0) has an unknown status")
        }
        record.status = status
        record.createdAt = row[11]
        record.updatedAt = row[12]
        self.record = record
        city = row[13]
        prefecture = row[14]
        arrestsInitial = row[15]
        arrestsExtended = row[16]
        gangs = row[17]
        links = row[18]
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
