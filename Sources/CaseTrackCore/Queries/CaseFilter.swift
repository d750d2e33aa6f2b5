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

    public init(city: String? = nil, year: String? = nil, category: String? = nil, status: String? = nil) {
        self.city = city
        self.year = year
        self.category = category
        self.status = status
    }
}

/// A filter resolved against the vocabularies, ready to become SQL.
struct ResolvedFilter {
    var cityCode: String?
    var year: Int?
    var category: String?
    var status: CaseStatus?

    init(_ filter: CaseFilter, _ db: Database) throws {
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

    /// SQL conditions over `cases AS c` and `cities AS ci`; `yearColumn` is the year a row
    /// counts in (the case's year for listings, the result's period for reports).
    func conditions(yearColumn: String) -> (sql: [String], arguments: StatementArguments) {
        var sql: [String] = []
        var arguments = StatementArguments()
        if let cityCode {
            sql.append("(c.city = ? OR ci.parent = ?)")
            arguments += [cityCode, cityCode]
        }
        if let year {
            sql.append("\(yearColumn) = ?")
            arguments += [year]
        }
        if let category {
            sql.append("c.category = ?")
            arguments += [category]
        }
        if let status {
            sql.append("c.status = ?")
            arguments += [status.rawValue]
        }
        return (sql, arguments)
    }
}
