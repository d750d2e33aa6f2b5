import GRDB

/// A write of many rows (an import, the undo of one) in which the per-row totals and search
/// triggers stand aside: the cases it touches are noted, and their totals and search documents
/// are recomputed set-wise before it commits. The flag row in `bulk_write` lives only inside this
/// transaction, so every other writer (the sqlite3 shell included) keeps every trigger.
enum BulkWrite {
    /// Whether this write rebuilds the whole search index at the end instead of case by case
    /// (cheaper when it touches most cases, as the undo of a large import does).
    nonisolated(unsafe) private static var rebuildsSearch = false

    static func begin(_ db: Database, rebuildingSearch: Bool = false) throws {
        try db.execute(sql: "CREATE TEMP TABLE IF NOT EXISTS bulk_cases (case_id INTEGER PRIMARY KEY)")
        try db.execute(sql: "DELETE FROM temp.bulk_cases")
        try db.execute(sql: "INSERT INTO bulk_write (active) VALUES (1)")
        rebuildsSearch = rebuildingSearch
    }

    /// Notes an existing case before the write changes it: its search document is forgotten now,
    /// while it still holds the text the index was built from.
    static func touchExisting(_ id: Int64, _ db: Database) throws {
        try db.cachedStatement(sql: "INSERT OR IGNORE INTO temp.bulk_cases (case_id) VALUES (?)").execute(arguments: [id])
        guard db.changesCount == 1, !rebuildsSearch else { return }
        try db.cachedStatement(
            sql: "INSERT INTO case_search (case_search, rowid, text) SELECT 'delete', id, text FROM case_search_text WHERE id = ?"
        ).execute(arguments: [id])
    }

    /// Notes a case the write created.
    static func touchNew(_ id: Int64, _ db: Database) throws {
        try db.cachedStatement(sql: "INSERT OR IGNORE INTO temp.bulk_cases (case_id) VALUES (?)").execute(arguments: [id])
    }

    /// Recomputes the touched cases' totals (the rollup follows through its triggers) and search
    /// documents, and lets the per-row triggers work again.
    static func finish(_ db: Database) throws {
        // In batches of cases, so that the grouping behind the totals stays small in memory
        // however many cases the write touched.
        var after: Int64 = 0
        while let last = try Int64.fetchOne(
            db, sql: "SELECT max(case_id) FROM (SELECT case_id FROM temp.bulk_cases WHERE case_id > ? ORDER BY case_id LIMIT 5000)",
            arguments: [after])
        {
            let batch = "SELECT case_id FROM temp.bulk_cases WHERE case_id > \(after) AND case_id <= \(last)"
            try db.execute(sql: "DELETE FROM case_totals WHERE case_id IN (\(batch))")
            try db.execute(sql: """
                INSERT INTO case_totals (case_id, year, month, city, category, cases, arrests_initial, arrests_extended, gangs, links)
                \(CaseStore.recomputedTotalsSQL(forCasesIn: batch))
                """)
            if !rebuildsSearch {
                try db.execute(sql: "INSERT INTO case_search (rowid, text) SELECT id, text FROM case_search_text WHERE id IN (\(batch))")
            }
            after = last
        }
        if rebuildsSearch { try db.execute(sql: "INSERT INTO case_search (case_search) VALUES ('rebuild')") }
        rebuildsSearch = false
        try db.execute(sql: "DELETE FROM bulk_write")
        try db.execute(sql: "DELETE FROM temp.bulk_cases")
    }
}
