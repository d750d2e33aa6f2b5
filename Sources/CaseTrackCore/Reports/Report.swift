import GRDB

/// A dimension a report can group by.
public enum ReportKey: String, CaseIterable, Sendable {
    /// The prefecture-level city: county-level cities roll up into it (汉川 counts under 孝感).
    case city
    /// The division the case is registered to, counties kept apart.
    case county
    /// The year a figure counts in: its result's date, else its case's opening year.
    case year
    /// `2023-Q1`; results dated only to the year fall in `2023-unknown`, never guessed.
    case quarter
    /// `2023-01`, or `2023-unknown` as for quarters.
    case month
    case category

    public static let defaultKeys: [ReportKey] = [.city, .year]

    /// Reads a comma list such as `city,year`.
    public static func parseList(_ text: String) throws -> [ReportKey] {
        let names = text.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        var keys: [ReportKey] = []
        for name in names {
            guard let key = ReportKey(rawValue: name) else {
                throw CaseTrackError.invalidValue(
                    field: "--by", value: name,
                    expected: "a comma list of " + allCases.map(\.rawValue).joined(separator: ", "))
            }
            guard !keys.contains(key) else {
                throw CaseTrackError.invalidValue(field: "--by", value: text, expected: "each key at most once")
            }
            keys.append(key)
        }
        return keys
    }

    /// The SQL value of the key over `case_totals t`, `cities ci` and `cities p`.
    var expression: String {
        switch self {
        case .city: return "coalesce(p.short_name, ci.short_name)"
        case .county: return "ci.short_name"
        // The unary plus keeps SQLite from walking the (year, month) index row by row to group:
        // a plain scan of the totals is faster. A --year filter still uses the index.
        case .year: return "+t.year"
        case .quarter:
            return "t.year || '-' || CASE WHEN t.month = 0 THEN 'unknown' ELSE 'Q' || ((t.month + 2) / 3) END"
        case .month:
            return "t.year || '-' || CASE WHEN t.month = 0 THEN 'unknown' ELSE CASE WHEN t.month < 10 THEN '0' ELSE '' END || t.month END"
        case .category: return "nullif(t.category, '')"
        }
    }

    /// How rows are ordered by this key: cities in GB/T 2260 order, periods in time with
    /// "unknown" after the known ones.
    var ordering: String {
        switch self {
        case .city: return "min(coalesce(ci.parent, ci.code))"
        case .county: return "min(ci.code)"
        case .year: return "+t.year"
        case .quarter, .month: return "min(t.year), min(CASE WHEN t.month = 0 THEN 1 ELSE 0 END), min(t.month)"
        case .category: return "nullif(t.category, '') IS NULL, nullif(t.category, '')"
        }
    }
}

/// The figures every report row and case carries.
public struct Figures: Sendable, Hashable {
    public var cases = 0
    public var arrestsInitial = 0
    public var arrestsExtended = 0
    public var gangs = 0
    public var links = 0

    public init(cases: Int = 0, arrestsInitial: Int = 0, arrestsExtended: Int = 0, gangs: Int = 0, links: Int = 0) {
        self.cases = cases
        self.arrestsInitial = arrestsInitial
        self.arrestsExtended = arrestsExtended
        self.gangs = gangs
        self.links = links
    }

    public var arrests: Int { arrestsInitial + arrestsExtended }

    static func + (lhs: Figures, rhs: Figures) -> Figures {
        Figures(
            cases: lhs.cases + rhs.cases, arrestsInitial: lhs.arrestsInitial + rhs.arrestsInitial,
            arrestsExtended: lhs.arrestsExtended + rhs.arrestsExtended, gangs: lhs.gangs + rhs.gangs,
            links: lhs.links + rhs.links)
    }
}

/// A value of a report key: text (city, quarter, category), a number (year) or none.
public enum KeyValue: Sendable, Hashable, CustomStringConvertible {
    case text(String)
    case number(Int)
    case none

    public var description: String {
        switch self {
        case let .text(text): return text
        case let .number(number): return String(number)
        case .none: return ""
        }
    }
}

/// One row of a report: the values of its keys and its figures.
public struct ReportRow: Sendable, Hashable {
    public var keys: [KeyValue]
    public var figures: Figures
}

/// Grouped totals, computed in SQL from the per-case totals.
public struct Report: Sendable {
    public var keys: [ReportKey]
    public var rows: [ReportRow]
    /// True when a bound fell inside a month, so that figures were counted by their own day (and
    /// those known only to a month or a year when wholly inside).
    public var countedByDay = false

    /// The sum of all rows.
    public var total: Figures { rows.reduce(Figures()) { $0 + $1.figures } }
}

extension CaseStore {
    /// Totals grouped by `keys`, over the cases and results that match `filter`.
    /// The year filter applies to the period a figure counts in.
    public func report(by keys: [ReportKey], filter: CaseFilter = CaseFilter()) throws -> Report {
        try readSession { db in
            let resolved = try ResolvedFilter(filter, db)
            let (conditions, arguments) = resolved.conditions(yearColumn: "t.year", caseTable: "t")
            let groups = keys.map(\.expression)
            var sql = "SELECT "
            sql += groups.enumerated().map { "\($1) AS key\($0)" }.joined(separator: ", ")
            sql += """
                , sum(t.cases) AS cases, sum(t.arrests_initial) AS arrests_initial,
                  sum(t.arrests_extended) AS arrests_extended, sum(t.gangs) AS gangs, sum(t.links) AS links
                FROM \(Self.reportSource(resolved, server: db.isServer)) t
                JOIN cities ci ON ci.code = t.city
                LEFT JOIN cities p ON p.code = ci.parent
                """
            if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
            sql += " GROUP BY " + (1...keys.count).map(String.init).joined(separator: ", ")
            sql += " ORDER BY " + keys.map(\.ordering).joined(separator: ", ")
            let rows = try db.rows(sql, arguments).map { row -> ReportRow in
                let values: [KeyValue] = keys.indices.map { index in
                    let value: DatabaseValue = row["key\(index)"]
                    switch value.storage {
                    case let .int64(number): return .number(Int(number))
                    case let .string(text): return .text(text)
                    default: return .none
                    }
                }
                return ReportRow(
                    keys: values,
                    figures: Figures(
                        cases: row["cases"], arrestsInitial: row["arrests_initial"],
                        arrestsExtended: row["arrests_extended"], gangs: row["gangs"], links: row["links"]))
            }
            var report = Report(keys: keys, rows: rows)
            report.countedByDay = resolved.period?.days != nil
            return report
        }
    }

    /// Where a report reads its figures: the rollup (bounded by divisions × categories ×
    /// months, so a report costs the same at 1k and 1M cases); or, for bounds inside a month,
    /// every case and result with its own date. Each source has the columns year, month, city,
    /// category and the five figures.
    static func reportSource(_ filter: ResolvedFilter, server: Bool) -> String {
        guard let days = filter.period?.days else { return "report_totals" }
        // A figure dated to the day counts when its day is inside the bounds; one known only to
        // the month or the year counts when its whole month or year is.
        let inside = """
            CASE length(period)
                WHEN 10 THEN period BETWEEN '\(days.first)' AND '\(days.last)'
                WHEN 7 THEN period || '-01' >= '\(days.first)' AND \(server ? "CAST(CAST(period || '-01' AS date) + interval '1 month' - interval '1 day' AS date)::text" : "date(period || '-01', '+1 month', '-1 day')") <= '\(days.last)'
                ELSE period || '-01-01' >= '\(days.first)' AND period || '-12-31' <= '\(days.last)' END
            """
        return """
            (SELECT CAST(substr(period, 1, 4) AS INTEGER) AS year,
                    CASE WHEN length(period) >= 7 THEN CAST(substr(period, 6, 2) AS INTEGER) ELSE 0 END AS month,
                    city, category, cases, arrests_initial, arrests_extended, gangs, links
             FROM (SELECT c.city, c.category, coalesce(c.opened, CAST(c.year AS TEXT)) AS period, 1 AS cases,
                          0 AS arrests_initial, 0 AS arrests_extended, 0 AS gangs, 0 AS links FROM cases c
                   UNION ALL
                   SELECT c.city, c.category, coalesce(a.date, c.opened, CAST(c.year AS TEXT)), 0,
                          CASE a.phase WHEN 'initial' THEN a.count ELSE 0 END, CASE a.phase WHEN 'extended' THEN a.count ELSE 0 END, 0, 0
                   FROM arrests a JOIN cases c ON c.id = a.case_id
                   UNION ALL
                   SELECT c.city, c.category, coalesce(g.date, c.opened, CAST(c.year AS TEXT)), 0, 0, 0, g.count, 0
                   FROM gangs g JOIN cases c ON c.id = g.case_id
                   UNION ALL
                   SELECT c.city, c.category, coalesce(l.date, c.opened, CAST(c.year AS TEXT)), 0, 0, 0, 0, l.count
                   FROM links l JOIN cases c ON c.id = l.case_id) AS figures
             WHERE \(inside))
            """
    }
}
