import GRDB

/// One year of a period's review: its figures, the year before's, and the change.
public struct YearFigures: Sendable, Equatable {
    public var year: Int
    /// False when nothing at all is recorded for the year (its figures are then zero).
    public var recorded: Bool
    public var figures: Figures
    /// The year before, or nil when it holds nothing at all (as in a yearly summary).
    public var previous: Figures?

    public var change: FigureChanges { FigureChanges(current: figures, previous: previous ?? Figures()) }
}

/// One division across the years of a period.
public struct DivisionYears: Sendable, Equatable {
    public var name: String
    public var fullName: String
    public var pinyin: String?
    /// The figures of each year of the period, in order; zero where the division had nothing.
    public var byYear: [Figures]
    public var totals: Figures { byYear.reduce(Figures(), +) }
}

/// The review of several years (`summary --from 2019 --to 2023`): every year's totals with the
/// change from the year before, the period's totals, each division across the years, top cases.
public struct PeriodSummary: Sendable, Equatable {
    public var years: ClosedRange<Int>
    /// The division reviewed, or nil for the whole province.
    public var area: DivisionSummary.Area?
    /// Every year of the period, those with nothing recorded included.
    public var byYear: [YearFigures]
    /// Largest arrests over the period first.
    public var byDivision: [DivisionYears]
    public var topCases: [TopCase]

    /// False when nothing at all is recorded in the whole period.
    public var recorded: Bool { byYear.contains(where: \.recorded) }
    public var totals: Figures { byYear.reduce(Figures()) { $0 + $1.figures } }

    /// The longest period a review covers.
    public static let maximumYears = 20
}

extension CaseStore {
    /// The review of the years `from` to `to` (both included), for the province or for one division
    /// and the counties under it. The figures are those of `report --by year --from FROM --to TO`.
    public func periodSummary(from fromText: String, to toText: String, city: String? = nil) throws -> PeriodSummary {
        let years = try Self.reviewYears(from: fromText, to: toText)
        let area = try city.map { try self.city(named: $0) }
        let key: ReportKey = area == nil ? .city : .county
        let period = CaseFilter(city: city, from: String(years.lowerBound), to: String(years.upperBound))
        let perYear = try report(by: [.year], filter: period)
        let perDivision = try report(by: [key, .year], filter: period)
        // The year before the period, so that the first year has a change too.
        let before = years.lowerBound > PartialDate.years.lowerBound
            ? try report(by: [.year], filter: CaseFilter(city: city, year: String(years.lowerBound - 1))) : nil

        var recorded: [Int: Figures] = [:]
        for row in perYear.rows { if case let .number(year) = row.keys[0] { recorded[year] = row.figures } }
        if let row = before?.rows.first { recorded[years.lowerBound - 1] = row.figures }
        let byYear = years.map { year in
            YearFigures(
                year: year, recorded: recorded[year] != nil, figures: recorded[year] ?? Figures(),
                previous: recorded[year - 1])
        }

        return try readSession { db in
            var divisions: [String: DivisionYears] = [:]
            var order: [String] = []
            for row in perDivision.rows {
                guard case let .number(year) = row.keys[1] else { continue }
                let name = row.keys[0].description
                if divisions[name] == nil {
                    let info = try db.row("SELECT full_name, pinyin FROM cities WHERE short_name = ?", [name.databaseValue])
                    divisions[name] = DivisionYears(
                        name: name, fullName: info?["full_name"] ?? name, pinyin: info?["pinyin"],
                        byYear: Array(repeating: Figures(), count: years.count))
                    order.append(name)
                }
                divisions[name]?.byYear[year - years.lowerBound] = row.figures
            }
            // Largest arrests first; ties keep the report's order (GB/T 2260).
            let byDivision = order.compactMap { divisions[$0] }.enumerated().sorted { a, b in
                let (x, y) = (a.element.totals.arrests, b.element.totals.arrests)
                return x != y ? x > y : a.offset < b.offset
            }.map(\.element)
            return PeriodSummary(
                years: years,
                area: area.map { DivisionSummary.Area(name: $0.shortName, fullName: $0.fullName, pinyin: $0.pinyin) },
                byYear: byYear, byDivision: byDivision,
                topCases: try Self.topCases(in: years, areaCode: area?.code, db))
        }
    }

    /// Reads `--from` and `--to` of a review: years, in order, at most `PeriodSummary.maximumYears` apart.
    static func reviewYears(from fromText: String, to toText: String) throws -> ClosedRange<Int> {
        func parse(_ text: String, field: String) throws -> Int {
            guard let year = try? StatisticalYear.parse(text) else {
                throw CaseTrackError.invalidValue(
                    field: field, value: text, expected: "a year from \(PartialDate.years.lowerBound) to \(PartialDate.years.upperBound) (YYYY)")
            }
            return year
        }
        let from = try parse(fromText, field: "--from")
        let to = try parse(toText, field: "--to")
        guard from <= to else {
            throw CaseTrackError.input("--from \(from) is after --to \(to); a review runs from the earlier year to the later")
        }
        guard to - from < PeriodSummary.maximumYears else {
            throw CaseTrackError.input(
                "--from \(from) --to \(to) spans \(to - from + 1) years; a review covers at most \(PeriodSummary.maximumYears)")
        }
        return from...to
    }
}
