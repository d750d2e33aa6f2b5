import GRDB

/// How a figure moved against the year before.
public enum Change: Sendable, Equatable {
    /// A ratio: 0.5277 is a rise of 52.77 %, -0.092 a fall of 9.20 %.
    case ratio(Double)
    /// The figure was zero (or the year absent) before and is not now: 新增.
    case new
    /// Zero both years: nothing to compare.
    case none

    public init(current: Int, previous: Int) {
        if previous == 0 {
            self = current == 0 ? .none : .new
        } else {
            // Rounded to four decimals, so the ratio and its two-decimal percentage agree.
            let ratio = Double(current - previous) / Double(previous)
            self = .ratio((ratio * 10_000).rounded() / 10_000)
        }
    }

    /// The ratio for JSON, or nil where there is none.
    public var ratio: Double? {
        if case let .ratio(value) = self { return value }
        return nil
    }
}

/// The change of every figure.
public struct FigureChanges: Sendable, Equatable {
    public var cases: Change
    public var arrests: Change
    public var arrestsInitial: Change
    public var arrestsExtended: Change
    public var gangs: Change
    public var links: Change

    public init(current: Figures, previous: Figures) {
        cases = Change(current: current.cases, previous: previous.cases)
        arrests = Change(current: current.arrests, previous: previous.arrests)
        arrestsInitial = Change(current: current.arrestsInitial, previous: previous.arrestsInitial)
        arrestsExtended = Change(current: current.arrestsExtended, previous: previous.arrestsExtended)
        gangs = Change(current: current.gangs, previous: previous.gangs)
        links = Change(current: current.links, previous: previous.links)
    }
}

/// One division's figures in a yearly summary.
public struct DivisionSummary: Sendable, Equatable {
    /// Short name (襄阳).
    public var name: String
    /// Full name (襄阳市).
    public var fullName: String
    /// Pinyin, for English prose.
    public var pinyin: String?
    public var current: Figures
    public var previous: Figures
    public var change: FigureChanges { FigureChanges(current: current, previous: previous) }
}

/// A case among the year's top cases by arrests (arrests counted in the year).
public struct TopCase: Sendable, Equatable {
    public var id: Int64
    public var city: String
    public var code: String
    public var year: Int
    public var name: String?
    public var figures: Figures
    /// True when the city used the code in other years too, so the reference needs its year.
    public var reused = false

    /// The reference `case show` takes: 襄阳"1.13", with @YEAR when the code was reused.
    public var reference: String { CaseLabel.format(city: city, code: code, year: reused ? year : nil) }
}

/// The yearly briefing: totals, the year before, the change, the breakdown by city and the top cases.
public struct YearSummary: Sendable, Equatable {
    public var year: Int
    /// The division summarised, or nil for the whole province.
    public var area: DivisionSummary.Area?
    /// False when nothing at all is recorded for the year: then the totals are zero and there is
    /// no change to speak of (a year not yet entered is not a fall of 100 %).
    public var recorded: Bool
    public var totals: Figures
    /// The year before, or nil when it holds nothing at all.
    public var previous: Figures?
    public var byDivision: [DivisionSummary]
    public var topCases: [TopCase]

    public var change: FigureChanges { FigureChanges(current: totals, previous: previous ?? Figures()) }
}

extension DivisionSummary {
    /// The division a summary is limited to.
    public struct Area: Sendable, Equatable {
        public var name: String
        public var fullName: String
        public var pinyin: String?
    }
}

extension CaseStore {
    /// How many top cases a summary lists.
    public static let topCaseCount = 10

    /// The summary of a year: for the province, or for one division and the counties under it
    /// (then broken down by county). Figures count in the period of their own date, as in `report`.
    public func summary(year yearText: String, city: String? = nil) throws -> YearSummary {
        let year = try StatisticalYear.parse(yearText)
        guard year > PartialDate.years.lowerBound else {
            throw CaseTrackError.invalidYear(yearText)
        }
        let area = try city.map { try self.city(named: $0) }
        let key: ReportKey = area == nil ? .city : .county
        let current = try report(by: [key], filter: CaseFilter(city: city, year: String(year)))
        let previous = try report(by: [key], filter: CaseFilter(city: city, year: String(year - 1)))
        return try readSession { db in
            var divisions: [String: DivisionSummary] = [:]
            var order: [String] = []
            for (rows, isCurrent) in [(current.rows, true), (previous.rows, false)] {
                for row in rows {
                    let name = row.keys[0].description
                    if divisions[name] == nil {
                        let info = try db.row("SELECT full_name, pinyin FROM cities WHERE short_name = ?", [name.databaseValue])
                        divisions[name] = DivisionSummary(
                            name: name, fullName: info?["full_name"] ?? name, pinyin: info?["pinyin"],
                            current: Figures(), previous: Figures())
                        order.append(name)
                    }
                    if isCurrent { divisions[name]?.current = row.figures } else { divisions[name]?.previous = row.figures }
                }
            }
            // Largest arrests first; ties (those that dropped to zero, or every division of a year with
            // nothing recorded) by last year's arrests.
            let byDivision = order.compactMap { divisions[$0] }.enumerated().sorted { a, b in
                if a.element.current.arrests != b.element.current.arrests { return a.element.current.arrests > b.element.current.arrests }
                if a.element.previous.arrests != b.element.previous.arrests { return a.element.previous.arrests > b.element.previous.arrests }
                return a.offset < b.offset
            }.map(\.element)

            let topCases = try Self.topCases(in: year...year, areaCode: area?.code, db)
            let previousTotal = previous.rows.isEmpty ? nil : previous.total
            return YearSummary(
                year: year,
                area: area.map { DivisionSummary.Area(name: $0.shortName, fullName: $0.fullName, pinyin: $0.pinyin) },
                recorded: !current.rows.isEmpty, totals: current.total, previous: previousTotal, byDivision: byDivision, topCases: topCases)
        }
    }

    /// The cases with the most arrests counted in `years` (figures by their own date, as in `report`),
    /// in the province or in one division and the counties under it.
    static func topCases(in years: ClosedRange<Int>, areaCode: String?, _ db: some SQLSession) throws -> [TopCase] {
        var filterSQL = ""
        var arguments = [years.lowerBound.databaseValue, years.upperBound.databaseValue]
        if let areaCode {
            filterSQL = " AND (c.city = ? OR ci.parent = ?)"
            arguments += [areaCode.databaseValue, areaCode.databaseValue]
        }
        return try db.rows(
            """
                SELECT c.id, ci.short_name AS city, c.code, c.year, c.name, sum(t.cases) AS cases,
                       EXISTS (SELECT 1 FROM cases o WHERE o.city = c.city AND o.code = c.code AND o.id <> c.id) AS reused,
                       sum(t.arrests_initial) AS arrests_initial, sum(t.arrests_extended) AS arrests_extended,
                       sum(t.gangs) AS gangs, sum(t.links) AS links
                FROM case_totals t JOIN cases c ON c.id = t.case_id JOIN cities ci ON ci.code = c.city
                WHERE t.year BETWEEN ? AND ?\(filterSQL)
                GROUP BY c.id, ci.code
                HAVING sum(t.arrests_initial + t.arrests_extended) > 0
                ORDER BY sum(t.arrests_initial + t.arrests_extended) DESC, c.id
                LIMIT \(topCaseCount)
                """,
            arguments
        ).map { row in
            TopCase(
                id: row["id"], city: row["city"], code: row["code"], year: row["year"], name: row["name"],
                figures: Figures(
                    cases: row["cases"], arrestsInitial: row["arrests_initial"],
                    arrestsExtended: row["arrests_extended"], gangs: row["gangs"], links: row["links"]),
                reused: row["reused"])
        }
    }
}
