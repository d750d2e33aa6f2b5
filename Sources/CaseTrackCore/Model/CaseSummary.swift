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

    /// The query `init(row:)` reads: cases with their names and summed totals. `conditions`
    /// are over `cases AS c` (and `case_totals AS t`).
    ///
    /// The totals are summed per case id first and the case's fields joined after, so that the
    /// grouping carries no wide rows, and a listing by year and city reads its cases' ids from
    /// the (year, city) index alone. Grouping by c.city as well (the same groups, as c.id is the
    /// key) lets SQLite sum the cases in the order that index yields them instead of sorting them.
    static func query(conditions: [String], orderedBy order: String? = "c.year, c.city, c.code, c.id") -> String {
        var totals = """
            SELECT c.id AS case_id,
                   coalesce(sum(t.arrests_initial), 0) AS arrests_initial,
                   coalesce(sum(t.arrests_extended), 0) AS arrests_extended,
                   coalesce(sum(t.gangs), 0) AS gangs, coalesce(sum(t.links), 0) AS links
            FROM cases c
            LEFT JOIN case_totals t ON t.case_id = c.id
            """
        if !conditions.isEmpty { totals += "\nWHERE " + conditions.joined(separator: " AND ") }
        totals += "\nGROUP BY c.city, c.id"
        var sql = """
            SELECT c.id, c.city, c.code, c.year, c.opened, c.closed, c.category, c.name, c.status, c.source, c.note,
                   c.created_at, c.updated_at, ci.short_name AS city_name, coalesce(p.short_name, ci.short_name) AS prefecture_name,
                   totals.arrests_initial AS total_arrests_initial, totals.arrests_extended AS total_arrests_extended,
                   totals.gangs AS total_gangs, totals.links AS total_links
            FROM (\(totals)) totals
            JOIN cases c ON c.id = totals.case_id
            JOIN cities ci ON ci.code = c.city
            LEFT JOIN cities p ON p.code = ci.parent
            """
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
        let column = PositionalColumns(row: row)
        var record = Case(
            id: column.optionalInt64(0), city: column.text(1), code: column.text(2), year: column.int(3),
            opened: column.optionalText(4), closed: column.optionalText(5), category: column.optionalText(6),
            name: column.optionalText(7), status: .open, source: column.optionalText(9), note: column.optionalText(10))
        guard let status = CaseStatus(rawValue: column.optionalText(8) ?? "") else {
            throw CaseTrackError.storage("case \(record.id ?? 0) has an unknown status")
        }
        record.status = status
        record.createdAt = column.optionalText(11)
        record.updatedAt = column.optionalText(12)
        self.record = record
        city = column.text(13)
        prefecture = column.text(14)
        arrestsInitial = column.int(15)
        arrestsExtended = column.int(16)
        gangs = column.int(17)
        links = column.int(18)
    }
}

/// A row's columns read by position, text and integers taken straight from its values:
/// GRDB's generic decoding looks up type metadata on every call, which a listing pays for every
/// column of thousands of rows. Any other storage is decoded by GRDB, as before (with its
/// conversions and errors).
private struct PositionalColumns {
    let row: Row
    private let values: [DatabaseValue]

    init(row: Row) {
        self.row = row
        values = Array(row.databaseValues)
    }

    func text(_ index: Int) -> String {
        if case let .string(text) = values[index].storage { return text }
        return row[index]
    }

    func optionalText(_ index: Int) -> String? {
        switch values[index].storage {
        case let .string(text): return text
        case .null: return nil
        default: return row[index]
        }
    }

    func int(_ index: Int) -> Int {
        if case let .int64(number) = values[index].storage, let number = Int(exactly: number) { return number }
        return row[index]
    }

    func optionalInt64(_ index: Int) -> Int64? {
        switch values[index].storage {
        case let .int64(number): return number
        case .null: return nil
        default: return row[index]
        }
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
