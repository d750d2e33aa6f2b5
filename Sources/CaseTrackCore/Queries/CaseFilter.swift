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
/// Full dates on month edges (2023-04-01 … 2023-06-30) give exactly the months; a bound inside a
/// month makes the report count by day (`days`).
struct PeriodRange {
    /// year * 100 + month, inclusive.
    var first: Int
    var last: Int
    /// The day bounds (YYYY-MM-DD), when a bound falls inside a month.
    var days: (first: String, last: String)?

    init(from: String?, to: String?) throws {
        let start = try from.map { try PartialDate(parsing: $0, field: "from") }
        let end = try to.map { try PartialDate(parsing: $0, field: "to") }
        func monthIndex(_ date: PartialDate, end: Bool) -> Int { date.year * 100 + (date.month ?? (end ? 12 : 1)) }
        first = start.map { monthIndex($0, end: false) } ?? 0
        last = end.map { monthIndex($0, end: true) } ?? 999_912
        guard first <= last, (start.map { $0.firstDay } ?? "") <= (end.map { $0.lastDay } ?? "9999") else {
            throw CaseTrackError.invalidValue(field: "from", value: from ?? "", expected: "no later than --to")
        }
        let startsInside = start.map { $0.day != nil && $0.day != 1 } ?? false
        let endsInside = end.map { $0.day != nil && $0.day != PartialDate.daysIn(month: $0.month ?? 12, year: $0.year) } ?? false
        if startsInside || endsInside {
            days = (start?.firstDay ?? "0000-01-01", end?.lastDay ?? "9999-12-31")
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
    /// On a server, the words of `search` (found in each case's text, without an index).
    var serverSearch: SearchQuery?

    init(_ filter: CaseFilter, _ db: some SQLSession) throws {
        if let search = filter.search {
            if let db = db as? Database {
                searchMatch = try CaseStore.searchExpression(SearchQuery(parsing: search), db) ?? ""
            } else {
                serverSearch = try SearchQuery(parsing: search)
            }
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
    func conditions(yearColumn: String, caseTable: String = "c") -> (sql: [String], arguments: [DatabaseValue]) {
        var sql: [String] = []
        var arguments: [DatabaseValue] = []
        if let cityCode {
            // An IN list lets SQLite seek the (year, city) index city by city.
            sql.append("\(caseTable).city IN (SELECT code FROM cities WHERE code = ? OR parent = ?)")
            arguments += [cityCode.databaseValue, cityCode.databaseValue]
        }
        if let year {
            sql.append("\(yearColumn) = ?")
            arguments += [year.databaseValue]
        }
        if let category {
            sql.append("\(caseTable).category = ?")
            arguments += [category.databaseValue]
        }
        if let status {
            sql.append("c.status = ?")
            arguments += [status.rawValue.databaseValue]
        }
        if let searchMatch {
            let caseId = caseTable == "c" ? "c.id" : "\(caseTable).case_id"
            sql.append(searchMatch.isEmpty ? "0" : "\(caseId) IN (SELECT rowid FROM case_search WHERE case_search MATCH ?)")
            if !searchMatch.isEmpty { arguments += [searchMatch.databaseValue] }
        }
        if let serverSearch {
            let search = ServerSearch.filter(serverSearch, caseId: caseTable == "c" ? "c.id" : "\(caseTable).case_id")
            sql.append(search.sql)
            arguments += search.arguments
        }
        if let period {
            sql.append("""
                (CASE WHEN t.month = 0 THEN t.year * 100 + 1 >= ? AND t.year * 100 + 12 <= ?
                      ELSE t.year * 100 + t.month BETWEEN ? AND ? END)
                """)
            arguments += [period.first, period.last, period.first, period.last].map(\.databaseValue)
        }
        return (sql, arguments)
    }
}
