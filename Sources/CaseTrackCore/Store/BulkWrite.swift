import GRDB

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
    /// Whether this write rebuilds the whole search index at the end instead of case by case
    /// (cheaper when it touches most cases, as the undo of a large import does).
    nonisolated(unsafe) private static var rebuildsSearch = false
    /// Every case id above this one was created by this write.
    nonisolated(unsafe) private static var lastCaseBefore: Int64 = 0

    static func begin(_ db: Database, rebuildingSearch: Bool = false) throws {
        try db.execute(sql: "CREATE TEMP TABLE IF NOT EXISTS bulk_cases (case_id INTEGER PRIMARY KEY)")
        // The rollup rows the touched cases held before the write, taken away again at the end.
        try db.execute(sql: """
            CREATE TEMP TABLE IF NOT EXISTS bulk_rollup_before (
                year INTEGER, month INTEGER, city TEXT, category TEXT,
                cases INTEGER, arrests_initial INTEGER, arrests_extended INTEGER, gangs INTEGER, links INTEGER)
            """)
        try db.execute(sql: "DELETE FROM temp.bulk_cases")
        try db.execute(sql: "DELETE FROM temp.bulk_rollup_before")
        try db.execute(sql: "INSERT INTO bulk_write (active) VALUES (1)")
        // AUTOINCREMENT's counter, not max(id): an id once used (by a case since deleted) is
        // never given again.
        lastCaseBefore = try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'cases'") ?? 0
        rebuildsSearch = rebuildingSearch
    }

    /// Notes an existing case before the write changes it: its share of the rollup is noted and
    /// its search document forgotten now, while both still hold what they were built from.
    static func touchExisting(_ id: Int64, _ db: Database) throws {
        try db.cachedStatement(sql: "INSERT OR IGNORE INTO temp.bulk_cases (case_id) VALUES (?)").execute(arguments: [id])
        guard db.changesCount == 1 else { return }
        try db.cachedStatement(sql: "INSERT INTO temp.bulk_rollup_before \(rollupShare("case_id = ?"))").execute(arguments: [id])
        guard !rebuildsSearch else { return }
        try db.cachedStatement(
            sql: "INSERT INTO case_search (case_search, rowid, text) SELECT 'delete', id, text FROM case_search_text WHERE id = ?"
        ).execute(arguments: [id])
    }

    /// Notes every case among the ids `subquery` selects (existing or not) in one pass each,
    /// as `touchExisting` and `touchNew` do one case.
    static func touch(casesIn subquery: String, arguments: StatementArguments, _ db: Database) throws {
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
        // Summed as the rollup sums them, so that the note stays as small as the rollup.
        try db.execute(sql: """
            INSERT INTO temp.bulk_rollup_before
            SELECT year, month, city, category, sum(cases), sum(arrests_initial), sum(arrests_extended), sum(gangs), sum(links)
            FROM (\(rollupShare("case_id IN (SELECT case_id FROM temp.bulk_new_touches)")))
            GROUP BY year, month, city, category
            """)
        guard !rebuildsSearch else { return }
        try db.execute(sql: """
            INSERT INTO case_search (case_search, rowid, text)
            SELECT 'delete', id, text FROM case_search_text WHERE id IN (SELECT case_id FROM temp.bulk_new_touches)
            """)
    }

    /// Notes a case the write created (or brought back with an id it had before).
    static func touchNew(_ id: Int64, _ db: Database) throws {
        guard id <= lastCaseBefore else { return }
        try db.cachedStatement(sql: "INSERT OR IGNORE INTO temp.bulk_cases (case_id) VALUES (?)").execute(arguments: [id])
    }

    /// Recomputes the touched cases' totals and search documents, moves the rollup by the
    /// difference between their totals after and before, and lets the per-row triggers work again.
    static func finish(_ db: Database) throws {
        // In batches of cases, so that the grouping behind the totals stays small in memory
        // however many cases the write touched: the noted cases, then the new ones by id.
        var after: Int64 = 0
        while let last = try Int64.fetchOne(
            db, sql: "SELECT max(case_id) FROM (SELECT case_id FROM temp.bulk_cases WHERE case_id > ? ORDER BY case_id LIMIT 5000)",
            arguments: [after])
        {
            try recompute(casesIn: "SELECT case_id FROM temp.bulk_cases WHERE case_id > \(after) AND case_id <= \(last)", db)
            after = last
        }
        let newest = try Int64.fetchOne(db, sql: "SELECT max(id) FROM cases") ?? 0
        var from = lastCaseBefore
        while from < newest {
            let to = min(from + 5000, newest)
            try recompute(casesIn: "SELECT id FROM cases WHERE id > \(from) AND id <= \(to)", db)
            from = to
        }
        // One upsert per period, division and category whose figures moved (at most their
        // number, however many rows the write changed).
        try db.execute(sql: """
            INSERT INTO report_total_changes
            SELECT year, month, city, category, sum(cases), sum(arrests_initial), sum(arrests_extended), sum(gangs), sum(links)
            FROM (\(rollupShare("case_id IN (SELECT case_id FROM temp.bulk_cases)"))
                  UNION ALL
                  \(rollupShare("case_id > \(lastCaseBefore)"))
                  UNION ALL
                  SELECT year, month, city, category, -cases, -arrests_initial, -arrests_extended, -gangs, -links
                  FROM temp.bulk_rollup_before)
            GROUP BY year, month, city, category
            HAVING sum(cases) <> 0 OR sum(arrests_initial) <> 0 OR sum(arrests_extended) <> 0 OR sum(gangs) <> 0 OR sum(links) <> 0
            """)
        if rebuildsSearch { try db.execute(sql: "INSERT INTO case_search (case_search) VALUES ('rebuild')") }
        rebuildsSearch = false
        try db.execute(sql: "DELETE FROM bulk_write")
        try db.execute(sql: "DELETE FROM temp.bulk_cases")
        try db.execute(sql: "DELETE FROM temp.bulk_rollup_before")
    }

    /// Recomputes the totals (and, case by case, the search documents) of the cases `batch` selects.
    private static func recompute(casesIn batch: String, _ db: Database) throws {
        try db.execute(sql: "DELETE FROM case_totals WHERE case_id IN (\(batch))")
        try db.execute(sql: """
            INSERT INTO case_totals (case_id, year, month, city, category, cases, arrests_initial, arrests_extended, gangs, links)
            \(CaseStore.recomputedTotalsSQL(forCasesIn: batch))
            """)
        if !rebuildsSearch {
            try db.execute(sql: "INSERT INTO case_search (rowid, text) SELECT id, text FROM case_search_text WHERE id IN (\(batch))")
        }
    }

    /// The rollup rows of the cases `condition` selects from case_totals, in the rollup's shape.
    private static func rollupShare(_ condition: String) -> String {
        """
        SELECT year, month, city, coalesce(category, '') AS category, cases, arrests_initial, arrests_extended, gangs, links
        FROM case_totals WHERE \(condition)
        """
    }
}
