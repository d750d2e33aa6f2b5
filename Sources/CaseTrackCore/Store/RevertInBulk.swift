import GRDB

/// The set-wise paths of undo and redo on SQLite: the rows a change set inserted are removed,
/// and the rows it removed are put back, a statement at a time with the connection's triggers
/// off (ConnectionTriggers.swift). They write the rows the triggers would write row by row;
/// the versions they file come case by case (the triggers file them in whatever order SQLite
/// removes the rows). The undo of a large import removes every row it inserted, and its redo
/// puts them all back.
enum RevertInBulk {
    /// Removes the rows of `table` (a table of cases or results) that change set `set` (closed)
    /// inserted and `inserted` (a condition on `t`, without parameters) selects, filing each
    /// one's version first as `T_history_delete` would; returns how many. The cases
    /// change_set_cases names for it go a thousand at a time (two statements, one filing and one
    /// removing): SQLite keeps the pages a statement changes in memory until it ends, so that it
    /// can undo that statement alone. A thousand cases among which one still holds results
    /// (another change set's, under --force) go with the triggers, whose cascade files those
    /// results in their place.
    static func removeInserted(_ table: String, by set: Int64, inserted: String, _ db: Database) throws -> Int {
        guard let column = ChangeSetRows.caseColumn(of: table) else { return 0 }
        var ranges: [[DatabaseValue]] = []
        var after = Int64.min
        while true {
            let cases = try Int64.fetchAll(
                db, sql: "SELECT case_id FROM change_set_cases WHERE change_set = ? AND case_id > ? ORDER BY case_id LIMIT 1000",
                arguments: [set, after])
            guard let first = cases.first, let last = cases.last else { break }
            ranges.append([first.databaseValue, last.databaseValue])
            after = last
        }
        // The rows the history triggers would file with T_history_delete: those that do not
        // carry the open change set (the revert's own).
        let chunk = """
            t.\(column) BETWEEN ? AND ?
              AND t.\(column) IN (SELECT case_id FROM change_set_cases WHERE change_set = ? AND case_id BETWEEN ? AND ?)
              AND \(inserted) AND t.change_set IS NOT \(HistoryTriggers.openChangeSet)
            """
        let arguments = { (range: [DatabaseValue]) in StatementArguments(range + [set.databaseValue] + range) }
        let holdsOtherResults = table != "cases" ? nil : """
            SELECT EXISTS (SELECT 1 FROM cases AS t WHERE \(chunk) AND (\(
                ResultKind.allCases.map { "EXISTS (SELECT 1 FROM \($0.table) WHERE case_id = t.id)" }.joined(separator: " OR "))))
            """
        let filing = try HistoryTriggers.fileRemovedVersionsSQL(table, where: chunk, order: "t.\(column), t.rowid", db)
        var removed = 0
        func removeWithTriggers(_ range: [DatabaseValue]) throws {
            try db.execute(sql: "DELETE FROM \(table) AS t WHERE \(chunk)", arguments: arguments(range))
            removed += db.changesCount
        }
        var next = 0
        while next < ranges.count {
            var end = next
            while end < ranges.count, try holdsOtherResults.map({ try Bool.fetchOne(db, sql: $0, arguments: arguments(ranges[end])) ?? true }) != true {
                end += 1
            }
            let run = ranges[next..<end]
            let done = try ConnectionTriggers.off(db) {
                for range in run {
                    try db.execute(sql: filing, arguments: arguments(range))
                    try db.execute(sql: "DELETE FROM \(table) AS t WHERE \(chunk)", arguments: arguments(range))
                    removed += db.changesCount
                }
            }
            if done == nil { try run.forEach(removeWithTriggers) }
            if end < ranges.count { try removeWithTriggers(ranges[end]) }
            next = end + 1
        }
        return removed
    }

    /// Puts back, with their ids, every row of `table` that change set `set` removed and that
    /// is not there again, in one statement, stamped with the open change set as
    /// `T_history_insert` would stamp it (a row put back files no version); returns how many.
    /// Nil when the triggers may not be turned off, or when a row cannot be put back as it was
    /// (its key taken since, what it belongs to gone): nothing is then written, and the caller
    /// puts the rows back one by one with the triggers, naming the one that fails.
    static func restoreRemoved(_ table: String, by set: Int64, columns: [String], _ db: Database) throws -> Int? {
        let names = (["rowid"] + columns + ["change_set"]).map(\.quotedDatabaseIdentifier).joined(separator: ", ")
        let values = columns.map { "json_extract(h.image, '$.\($0)')" }.joined(separator: ", ")
        let sql = """
            INSERT INTO \(table) (\(names))
            SELECT h.row_id, \(values), \(HistoryTriggers.openChangeSet) FROM history h
            WHERE h.change_set = ? AND h.action = 'delete' AND h.table_name = ?
              AND NOT EXISTS (SELECT 1 FROM \(table) t WHERE t.rowid = h.row_id)
            ORDER BY h.id
            """
        try db.execute(sql: "SAVEPOINT casetrack_restore")
        do {
            let restored = try ConnectionTriggers.off(db) {
                try db.execute(sql: sql, arguments: [set, table])
                return db.changesCount
            }
            try db.execute(sql: "RELEASE casetrack_restore")
            return restored
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            try db.execute(sql: "ROLLBACK TO casetrack_restore")
            try db.execute(sql: "RELEASE casetrack_restore")
            return nil
        }
    }
}
