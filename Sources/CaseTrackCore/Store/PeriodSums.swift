import GRDB
import GRDBSQLite

/// The five figures the totals keep: cases, arrests (initial, extended), gangs, links.
struct PeriodFigures: Equatable, Sendable {
    var cases: Int64 = 0
    var arrestsInitial: Int64 = 0
    var arrestsExtended: Int64 = 0
    var gangs: Int64 = 0
    var links: Int64 = 0

    var isZero: Bool { self == PeriodFigures() }

    static func += (sum: inout PeriodFigures, figures: PeriodFigures) {
        sum.cases += figures.cases
        sum.arrestsInitial += figures.arrestsInitial
        sum.arrestsExtended += figures.arrestsExtended
        sum.gangs += figures.gangs
        sum.links += figures.links
    }

    static prefix func - (figures: PeriodFigures) -> PeriodFigures {
        PeriodFigures(
            cases: -figures.cases, arrestsInitial: -figures.arrestsInitial, arrestsExtended: -figures.arrestsExtended,
            gangs: -figures.gangs, links: -figures.links)
    }

    /// In the order of the totals tables' columns.
    var databaseValues: [DatabaseValue] {
        [cases, arrestsInitial, arrestsExtended, gangs, links].map(\.databaseValue)
    }
}

/// A row of the report rollup: a month (0 for a period of a whole year) of a division and a
/// category, both by their number in the write's `RollupNames` (four integers hash and compare
/// faster than text, and take less room).
struct RollupKey: Hashable, Sendable {
    var year: Int32
    var month: Int32
    var city: Int32
    var category: Int32
}

/// The divisions and categories ('' for none) a bulk write met, by number.
final class RollupNames: @unchecked Sendable {
    private(set) var names: [String] = []
    private var numbers: [String: Int32] = [:]

    func number(_ name: String) -> Int32 {
        if let known = numbers[name] { return known }
        names.append(name)
        numbers[name] = Int32(names.count - 1)
        return Int32(names.count - 1)
    }
}

/// Sums of case_periods rows, the period rule's one statement for sets of rows, added up in
/// memory: a bulk write reads the periods of the cases it touched once and derives from them
/// both their totals by year and the rollup's moves, instead of asking SQLite to group and
/// upsert every result row twice.
enum PeriodSums {
    /// The cases whose periods are read: one (the statement is kept for the next), or those a
    /// condition on case_id selects (a range of ids: prepared for the call).
    enum Cases {
        case one(Int64)
        case matching(String)
    }

    /// Calls `body` with each case_periods row of `cases`: its case, rollup row (its division
    /// and category numbered in `names`) and figures.
    static func forEachPeriod(
        of cases: Cases, names: RollupNames, _ db: Database,
        _ body: (_ caseId: Int64, _ key: RollupKey, _ figures: PeriodFigures) throws -> Void
    ) throws {
        let select = "SELECT case_id, year, month, city, coalesce(category, ''), cases, arrests_initial, arrests_extended, gangs, links FROM case_periods WHERE "
        let statement: GRDB.Statement
        switch cases {
        case let .one(id):
            statement = try db.cachedStatement(sql: select + "case_id = ?")
            try statement.setArguments([id])
        case let .matching(condition):
            statement = try db.makeStatement(sql: select + condition)
        }
        // Read straight from the statement: a bulk write reads every result row it touched.
        let handle = statement.sqliteStatement
        defer { sqlite3_reset(handle) }
        // A case's periods come together and share its division and category: their text is
        // looked up once, not for every row.
        var city = (bytes: [UInt8](), number: names.number(""))
        var category = city
        func number(_ column: Int32, _ last: inout (bytes: [UInt8], number: Int32)) -> Int32 {
            guard let pointer = sqlite3_column_text(handle, column) else { return names.number("") }
            let bytes = UnsafeBufferPointer(start: pointer, count: Int(sqlite3_column_bytes(handle, column)))
            if !last.bytes.elementsEqual(bytes) { last = (Array(bytes), names.number(String(cString: pointer))) }
            return last.number
        }
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else { throw statement.failure(code) }
            let key = RollupKey(
                year: sqlite3_column_int(handle, 1), month: sqlite3_column_int(handle, 2),
                city: number(3, &city), category: number(4, &category))
            let figures = PeriodFigures(
                cases: sqlite3_column_int64(handle, 5), arrestsInitial: sqlite3_column_int64(handle, 6),
                arrestsExtended: sqlite3_column_int64(handle, 7), gangs: sqlite3_column_int64(handle, 8), links: sqlite3_column_int64(handle, 9))
            try body(sqlite3_column_int64(handle, 0), key, figures)
        }
    }
}

/// How far a bulk write moves each rollup row: the touched cases' figures after it, less theirs
/// before it, summed as their periods are read (at most as many entries as the rollup has rows,
/// however many rows the write changed). One write's, on its own connection.
final class RollupMoves: @unchecked Sendable {
    let names = RollupNames()
    private var sums: [RollupKey: PeriodFigures] = [:]

    func add(_ figures: PeriodFigures, to key: RollupKey) {
        sums[key, default: PeriodFigures()] += figures
    }

    /// Adds the figures of `cases` (takes them away when `taken`: the cases' share before the
    /// write changes them).
    func add(periodsOf cases: PeriodSums.Cases, taken: Bool = false, _ db: Database) throws {
        try PeriodSums.forEachPeriod(of: cases, names: names, db) { _, key, figures in
            add(taken ? -figures : figures, to: key)
        }
    }

    /// The moves that change a row — year, month, division, category and figures — in the
    /// rollup's order; the sums are given up for them (one copy of the moves in memory).
    func takeChanges() -> [(year: Int32, month: Int32, city: String, category: String, figures: PeriodFigures)] {
        var changes: [(key: RollupKey, figures: PeriodFigures)] = []
        changes.reserveCapacity(sums.count)
        for (key, figures) in sums where !figures.isZero { changes.append((key, figures)) }
        sums = [:]
        let names = names.names
        return changes
            .map { (year: $0.key.year, month: $0.key.month, city: names[Int($0.key.city)], category: names[Int($0.key.category)], figures: $0.figures) }
            .sorted { ($0.year, $0.month, $0.city, $0.category) < ($1.year, $1.month, $1.city, $1.category) }
    }
}
