import GRDB

/// The filters shared by `case list`, `export` and `report`, as a user typed them.
///
/// A city filter takes the division given and every county-level division under it, so
/// `--city 孝感` includes 汉川's cases.
public struct CaseFilter: Sendable, Equatable {
    public var city: String?
    public var year: String?
    public var category: String?
    public var status: String?
    /// Reports only: the first and last period, `YYYY` or `YYYY-MM` (see `PeriodRange`).
    public var from: String?
    public var to: String?
    /// Only cases whose text holds these words (see `SearchQuery`).
    public var search: String?

    public init(
        city: String? = nil, year: String? = nil, category: String? = nil, status: String? = nil,
        from: String? = nil, to: String? = nil, search: String? = nil
    ) {
        self.city = city
        self.year = year
        self.category = category
        self.status = status
        self.from = from
        self.to = to
        self.search = search
    }
}

/// A range of months for reports. A figure dated to the month (or day) is in the range when its
/// month is; one known only to the year is in it only when the whole year is, never by guess.
struct PeriodRange {
    /// year * 100 + month, inclusive.
    var first: Int
    var last: Int

    init(from: String?, to: String?) throws {
        func parse(_ text: String, field: String, end: Bool) throws -> Int {
            let date = try PartialDate(parsing: text, field: field)
            guard date.day == nil else {
                throw CaseTrackError.invalidValue(
                    field: field, value: text, expected: "a year or a month (YYYY or YYYY-MM): reports count by month")
            }
            return date.year * 100 + (date.month ?? (end ? 12 : 1))
        }
        first = try from.map { try parse($0, field: "--from", end: false) } ?? 0
        last = try to.map { try parse($0, field: "--to", end: true) } ?? 999_912
        guard first <= last else {
            throw CaseTrackError.invalidValue(field: "--from", value: from ?? "", expected: "no later than --to")
        }
    }
}

/// A filter resolved against the vocabularies, ready to become SQL.
struct ResolvedFilter {
    var cityCode: String?
    var year: Int?
    var category: String?
    var status: CaseStatus?
    var period: PeriodRange?
    /// The FTS5 query of `search` ("" when its words can match nothing).
    var searchMatch: String?

    init(_ filter: CaseFilter, _ db: Database) throws {
        if let search = filter.search {
            searchMatch = try CaseStore.searchExpression(SearchQuery(parsing: search), db) ?? ""
        }
        if filter.from != nil || filter.to != nil { period = try PeriodRange(from: filter.from, to: filter.to) }
        cityCode = try filter.city.map { try CaseStore.resolveCity($0, db).code }
        year = try filter.year.map { try StatisticalYear.parse($0) }
        category = try filter.category.map { try CaseStore.resolve($0, in: .category, db) }
        if let text = filter.status {
            guard let status = CaseStatus(rawValue: text.lowercased()) else {
                throw CaseTrackError.invalidValue(field: "status", value: text, expected: "open or closed")
            }
            self.status = status
        }
    }

    /// SQL conditions over `cities AS ci` and the table holding the case's city and category
    /// (`cases AS c` for listings, `case_totals AS t` for reports); `yearColumn` is the year a
    /// row counts in (the case's year for listings, the result's period for reports).
    func conditions(yearColumn: String, caseTable: String = "c") -> (sql: [String], arguments: StatementArguments) {
        var sql: [String] = []
        var arguments = StatementArguments()
        if let cityCode {
            // An IN list lets SQLite seek the (year, city) index city by city.
            sql.append("\(caseTable).city IN (SELECT code FROM cities WHERE code = ? OR parent = ?)")
            arguments += [cityCode, cityCode]
        }
        if let year {
            sql.append("\(yearColumn) = ?")
            arguments += [year]
        }
        if let category {
            sql.append("\(caseTable).category = ?")
            arguments += [category]
        }
        if let status {
            sql.append("c.status = ?")
            arguments += [status.rawValue]
        }
        if let searchMatch {
            let caseId = caseTable == "c" ? "c.id" : "\(caseTable).case_id"
            sql.append(searchMatch.isEmpty ? "0" : "\(caseId) IN (SELECT rowid FROM case_search WHERE case_search MATCH ?)")
            if !searchMatch.isEmpty { arguments += [searchMatch] }
        }
        if let period {
            sql.append("""
                (CASE WHEN t.month = 0 THEN t.year * 100 + 1 >= ? AND t.year * 100 + 12 <= ?
                      ELSE t.year * 100 + t.month BETWEEN ? AND ? END)
                """)
            arguments += [period.first, period.last, period.first, period.last]
        }
        return (sql, arguments)
    }
}
