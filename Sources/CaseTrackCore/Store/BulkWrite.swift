import GRDB
import Synchronization

/// A write of many rows (an import, the undo of one) in which the per-row totals, rollup and
/// search triggers stand aside: the cases it touches are noted, and their totals, their share
/// of the report rollup and their search documents are recomputed set-wise before it commits.
/// The flag row in `bulk_write` lives only inside this transaction, so every other writer (the
/// sqlite3 shell included) keeps every trigger.
///
/// Cases the write creates need no note: case ids only grow, so they are the ids above the
/// highest one when the write began. That keeps the notes (held in memory) as small as the
/// number of existing cases the write changes, not the size of the import.
enum BulkWrite {
    /// What a connection's bulk write carries from its beginning to its end.
    private struct State {
        /// Whether this write rebuilds the whole search index and report rollup at the end
        /// instead of moving them case by case (cheaper when it touches most cases, as the undo
        /// of a large import does: what is left to count is then less than what it touched).
        var rebuildsWhole = false
        /// Every case id above this one was created by this write.
        var lastCaseBefore: Int64 = 0
        /// Cases created one after another since the write last changed anything else.
        var createdInARow = 0
        /// How far the write moves each rollup row.
        var moves = RollupMoves()
    }

    /// By connection: one process may hold several registers (the tests do, writing at once).
    private static let states = Mutex<[ObjectIdentifier: State]>([:])

    private static func state(_ db: Database) -> State {
        states.withLock { $0[ObjectIdentifier(db)] ?? State() }
    }

    private static func update(_ db: Database, _ change: (inout State) -> Void) {
        states.withLock { change(&$0[ObjectIdentifier(db), default: State()]) }
    }

    /// From the 32nd case created in a row, the connection's triggers are off for the cases the
    /// write creates (ConnectionTriggers.swift): turning them off or on makes SQLite prepare the
    /// statements again, which costs more than the triggers of a few cases.
    static let createdBeforeTriggersOff = 32

    static func begin(_ db: Database) throws {
        try db.execute(sql: "CREATE TEMP TABLE IF NOT EXISTS bulk_cases (case_id INTEGER PRIMARY KEY)")
        try db.execute(sql: "DELETE FROM temp.bulk_cases")
        try db.execute(sql: "INSERT INTO bulk_write (active) VALUES (1)")
        // A new id is above both AUTOINCREMENT's counter (an id once used, by a case since
        // deleted, is never given again) and the highest id held (the counter is an ordinary
        // row that the sqlite3 shell can lower or delete).
        let lastCaseBefore = try Int64.fetchOne(db, sql: """
            SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'cases'), 0), coalesce((SELECT max(id) FROM cases), 0))
            """) ?? 0
        update(db) { $0 = State(lastCaseBefore: lastCaseBefore) }
    }

    /// Called before the write inserts a case it creates, and that case's results. For a row
    /// that carries the open change set and a key of its own, every insert trigger does nothing
    /// while `bulk_write` holds its row (history files no version of a created row; the totals,
    /// rollup, search index and change_set_cases are written by `finish`; the no-replace guard
    /// sees no clash), so after a run of such cases the triggers are turned off.
    static func writingCreatedCase(_ db: Database) throws {
        var inARow = 0
        update(db) { state in
            state.createdInARow += 1
            inARow = state.createdInARow
        }
        if inARow == createdBeforeTriggersOff { try ConnectionTriggers.set(false, db) }
    }

    /// Called before any other write (a change to an existing case, a row removed, a category
    /// added): its triggers file history, so they are turned on again.
    static func writingOtherRows(_ db: Database) throws {
        update(db) { $0.createdInARow = 0 }
        if !ConnectionTriggers.areOn(db) { try ConnectionTriggers.set(true, db) }
    }

    /// Turns the connection's triggers on again after a write that failed or was cancelled
    /// before `finish` (which does so itself); the transaction's rollback undoes the rest.
    static func end(_ db: Database) {
        try? ConnectionTriggers.set(true, db)
        _ = states.withLock { $0.removeValue(forKey: ObjectIdentifier(db)) }
    }

    /// Notes an existing case before the write changes it: its share of the rollup is noted and
    /// its search document forgotten now, while both still hold what they were built from.
    static func touchExisting(_ id: Int64, _ db: Database) throws {
        try db.cachedStatement(sql: "INSERT OR IGNORE INTO temp.bulk_cases (case_id) VALUES (?)").execute(arguments: [id])
        guard db.changesCount == 1, !state(db).rebuildsWhole else { return }
        try state(db).moves.add(periodsOf: .one(id), taken: true, db)
        try db.cachedStatement(
            sql: "INSERT INTO case_search (case_search, rowid, text) SELECT 'delete', id, text FROM case_search_text WHERE id = ?"
        ).execute(arguments: [id])
    }

    /// Notes every case among the ids `subquery` selects (existing or not) in one pass each,
    /// as `touchExisting` and `touchNew` do one case. With `rebuildingWholeWhenMost`, a write
    /// that touches most cases (more than 1,000 and more than half: the undo of a large import)
    /// rebuilds the search index and the rollup once at its end rather than moving them case by
    /// case.
    static func touch(
        casesIn subquery: String, arguments: StatementArguments, _ db: Database, rebuildingWholeWhenMost: Bool = false
    ) throws {
        try db.execute(sql: "CREATE TEMP TABLE bulk_new_touches (case_id INTEGER PRIMARY KEY)")
        defer { try? db.execute(sql: "DROP TABLE temp.bulk_new_touches") }
        try db.execute(
            sql: """
                INSERT OR IGNORE INTO temp.bulk_new_touches (case_id)
                SELECT * FROM (\(subquery)) AS touched
                WHERE touched.id NOT IN (SELECT case_id FROM temp.bulk_cases)
                """,
            arguments: arguments)
        try db.execute(sql: "INSERT INTO temp.bulk_cases SELECT case_id FROM temp.bulk_new_touches")
        if rebuildingWholeWhenMost {
            let touched = try Int.fetchOne(db, sql: "SELECT count(*) FROM temp.bulk_new_touches") ?? 0
            let all = try Int.fetchOne(db, sql: "SELECT count(*) FROM cases") ?? 0
            if touched > 1000 && touched * 2 > all { update(db) { $0.rebuildsWhole = true } }
        }
        guard !state(db).rebuildsWhole else { return }
        try forEachRange(of: "temp.bulk_new_touches", db) { cases in
            try state(db).moves.add(periodsOf: .matching(cases.condition("case_id")), taken: true, db)
        }
        try db.execute(sql: """
            INSERT INTO case_search (case_search, rowid, text)
            SELECT 'delete', id, text FROM case_search_text WHERE id IN (SELECT case_id FROM temp.bulk_new_touches)
            """)
    }

    /// Notes a case the write created (or brought back with an id it had before).
    static func touchNew(_ id: Int64, _ db: Database) throws {
        guard id <= state(db).lastCaseBefore else { return }
        try db.cachedStatement(sql: "INSERT OR IGNORE INTO temp.bulk_cases (case_id) VALUES (?)").execute(arguments: [id])
    }

    /// Recomputes the touched cases' totals and search documents, moves the rollup by the
    /// difference between their figures after and before (or rebuilds both whole, see
    /// `rebuildsWhole`), and lets the per-row triggers work again.
    static func finish(_ db: Database) throws {
        // The rollup moves through a view's INSTEAD OF trigger.
        try writingOtherRows(db)
        let (rebuildsWhole, lastCaseBefore) = (state(db).rebuildsWhole, state(db).lastCaseBefore)
        // In batches of cases, so that the grouping behind the totals stays small in memory
        // however many cases the write touched: the noted cases, then the new ones by id.
        try forEachRange(of: "temp.bulk_cases", db) { cases in try recompute(cases, db) }
        let newest = try Int64.fetchOne(db, sql: "SELECT max(id) FROM cases") ?? 0
        var from = lastCaseBefore
        while from < newest {
            let to = min(from + 5000, newest)
            // A case brought back with an id above that of every case held when the write
            // began (the shell can delete the id counter) is new by its id and noted as well:
            // it was recomputed with the noted cases.
            try recompute(CaseRange(first: from + 1, last: to, noted: "temp.bulk_cases", onlyNoted: false), db)
            from = to
        }
        if rebuildsWhole {
            try db.execute(sql: "INSERT INTO case_search (case_search) VALUES ('rebuild')")
            // The rollup is emptied and every case's figures added back, 5,000 cases at a time
            // in ranges of the ids there are (any id the shell gave, however sparse), so that
            // the note stays as small as the rollup (one grouping of every figure at once took
            // 150 MB at 100,000 cases).
            try db.execute(sql: "DELETE FROM report_totals")
            var after: Int64?
            while let last = try Int64.fetchOne(
                db, sql: "SELECT max(id) FROM (SELECT id FROM cases WHERE id > ? ORDER BY id LIMIT 5000)", arguments: [after ?? Int64.min])
            {
                let cases = (after.map { "case_id > \($0) AND " } ?? "") + "case_id <= \(last)"
                try state(db).moves.add(periodsOf: .matching(cases), db)
                after = last
            }
        }
        // One upsert per period, division and category whose figures moved (at most their
        // number, however many rows the write changed), in the rollup's order.
        let apply = try db.cachedStatement(sql: "INSERT INTO report_total_changes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
        for move in state(db).moves.takeChanges() {
            try apply.executeBound(
                [Int64(move.year).databaseValue, Int64(move.month).databaseValue, move.city.databaseValue, move.category.databaseValue]
                    + move.figures.databaseValues)
        }
        // The cases whose rows the write left carrying its change set are named in
        // change_set_cases (the per-row triggers stood aside): every case it created, and the
        // noted cases that still hold a row it wrote.
        try db.execute(sql: """
            INSERT OR IGNORE INTO change_set_cases (change_set, case_id)
            SELECT s.id, c.id FROM (SELECT max(id) AS id FROM change_sets WHERE open = 1) s, cases c
            WHERE c.id > \(lastCaseBefore) AND c.change_set = s.id
            """)
        try db.execute(sql: """
            INSERT OR IGNORE INTO change_set_cases (change_set, case_id)
            SELECT s.id, b.case_id FROM (SELECT max(id) AS id FROM change_sets WHERE open = 1) s, temp.bulk_cases b
            WHERE EXISTS (SELECT 1 FROM cases WHERE id = b.case_id AND change_set = s.id)
               OR EXISTS (SELECT 1 FROM arrests WHERE case_id = b.case_id AND change_set = s.id)
               OR EXISTS (SELECT 1 FROM gangs WHERE case_id = b.case_id AND change_set = s.id)
               OR EXISTS (SELECT 1 FROM links WHERE case_id = b.case_id AND change_set = s.id)
            """)
        end(db)
        try db.execute(sql: "DELETE FROM bulk_write")
        try db.execute(sql: "DELETE FROM temp.bulk_cases")
    }

    /// Cases whose ids lie in `first...last`: those noted in the temporary table `noted`, or
    /// those not noted there. The range is what lets SQLite read each result table of
    /// case_periods through its index on case_id (it pushes ranges into a union's arms, but not
    /// `IN` lists).
    struct CaseRange {
        var first: Int64
        var last: Int64
        var noted: String
        var onlyNoted = true

        func condition(_ column: String) -> String {
            "\(column) BETWEEN \(first) AND \(last) AND \(column) \(onlyNoted ? "IN" : "NOT IN") "
                + "(SELECT case_id FROM \(noted) WHERE case_id BETWEEN \(first) AND \(last))"
        }
    }

    /// Runs `body` for the case ids of `table` (a temporary table of case ids) as ranges of at
    /// most 5,000 noted cases, so that the grouping behind the totals stays small in memory. A
    /// range spans at most about twice as many ids as it holds noted cases, so reading every
    /// case in it reads little more than the noted ones; scattered ids get a range each.
    private static func forEachRange(of table: String, _ db: Database, _ body: (CaseRange) throws -> Void) throws {
        var after: Int64 = 0
        while true {
            let page = try Int64.fetchAll(
                db, sql: "SELECT case_id FROM \(table) WHERE case_id > ? ORDER BY case_id LIMIT 5000", arguments: [after])
            guard let end = page.last else { return }
            var first = page[0]
            var count: Int64 = 0
            for (index, id) in page.enumerated() {
                if id - first >= 2 * (count + 1) + 16 {
                    try body(CaseRange(first: first, last: page[index - 1], noted: table))
                    first = id
                    count = 0
                }
                count += 1
            }
            try body(CaseRange(first: first, last: end, noted: table))
            after = end
        }
    }

    /// Recomputes the totals (and, case by case, the search documents) of the cases in `cases`.
    private static func recompute(_ cases: CaseRange, _ db: Database) throws {
        try db.execute(sql: "DELETE FROM case_totals WHERE \(cases.condition("case_id"))")
        // One reading of the cases' periods gives both their totals by year (as
        // DerivedTotals.recomputedTotalsSQL groups them) and their share of the rollup.
        let (rebuildsWhole, moves) = (state(db).rebuildsWhole, state(db).moves)
        var totals: [CaseYear: PeriodFigures] = [:]
        try PeriodSums.forEachPeriod(of: .matching(cases.condition("case_id")), names: moves.names, db) { caseId, key, figures in
            totals[CaseYear(caseId: caseId, year: key.year), default: PeriodFigures()] += figures
            if !rebuildsWhole { moves.add(figures, to: key) }
        }
        let insert = try db.cachedStatement(sql: """
            INSERT INTO case_totals (case_id, year, cases, arrests_initial, arrests_extended, gangs, links) VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        for (caseYear, figures) in totals.sorted(by: { ($0.key.caseId, $0.key.year) < ($1.key.caseId, $1.key.year) }) {
            try insert.executeBound([caseYear.caseId.databaseValue, Int64(caseYear.year).databaseValue] + figures.databaseValues)
        }
        guard !rebuildsWhole else { return }
        try db.execute(sql: "INSERT INTO case_search (rowid, text) SELECT id, text FROM case_search_text WHERE \(cases.condition("id"))")
    }

    private struct CaseYear: Hashable {
        var caseId: Int64
        var year: Int32
    }
}
