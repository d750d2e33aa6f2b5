import GRDB

/// Schema versions.
///
/// `schema.sql` is always the current schema. A new database runs it whole as "v1" (with the
/// generated history triggers); every later migration first checks whether its objects already
/// exist (so it does nothing on a new database) and otherwise upgrades an older file in place,
/// taking the new objects' SQL from `schema.sql` itself, so that the schema is written down in
/// one place only. GRDB runs each pending migration in one transaction with the others.
extension CaseStore {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: Schema.sql)
            try HistoryTriggers.install(db)
        }
        // v2 brought the audit trail; v3 replaces it, so v3 upgrades both v1 and v2 databases.
        migrator.registerMigration("v2-audit") { _ in }
        // v3: history as system-versioned tables (a change_set column on every versioned table,
        // old versions in `history`), the report rollup, and generated history triggers.
        migrator.registerMigration("v3-history") { db in
            guard try !db.columns(in: "cases").contains(where: { $0.name == "change_set" }) else { return }
            try SchemaUpgrade.upgradeToCurrent(db)
        }
        // v4: full-text search over the cases' text and the views of the stable SQL interface
        // (schema.sql's "Search and views" section), the index filled from the existing rows.
        migrator.registerMigration("v4-search") { db in
            try SchemaUpgrade.addSearchAndViews(db)
        }
        // v5: the rollup triggers stand aside in a bulk write too, which moves the rollup once
        // per period at its end: the triggers and views that differ from schema.sql's are
        // re-created (none on a new database).
        migrator.registerMigration("v5-bulk-rollup") { db in
            _ = try HistoryTriggers.repair(db)
        }
        // v6: the per-case totals by year instead of by month, without the case's city and
        // category (the rollup answers every report; the totals only list cases), recomputed
        // from the view case_periods; the rollup follows the results directly; the search
        // index forgets a case's text only after the change that replaces it.
        migrator.registerMigration("v6-totals-by-year") { db in
            try SchemaUpgrade.upgradeToSixth(db)
        }
        // v7: a change set's rows are found through change_set_cases (the cases whose rows it
        // wrote) instead of an index on change_set in each table of cases and results.
        migrator.registerMigration("v7-change-set-cases") { db in
            try SchemaUpgrade.upgradeToSeventh(db)
        }
        return migrator
    }
}

extension SchemaUpgrade {
    /// Upgrades a database of any earlier version in place, in the migration's one transaction:
    /// tables rebuilt to their current definition with their rows, the audit trail of v2 turned
    /// into history, derived totals recomputed, and every view and trigger created afresh.
    static func upgradeToCurrent(_ db: Database) throws {
        let existing = try Row.fetchAll(
            db, sql: "SELECT type, name FROM sqlite_master WHERE type IN ('trigger', 'view') ORDER BY type = 'view'")
        for row in existing {
            let type: String = row["type"]
            let name: String = row["name"]
            try db.execute(sql: "DROP \(type == "view" ? "VIEW" : "TRIGGER") IF EXISTS \(name.quotedDatabaseIdentifier)")
        }
        try rebuildChangedTables(db)
        try createMissingTables(db)
        if try db.tableExists("audit") {
            try convertAudit(db)
            try db.execute(sql: "DROP TABLE audit")
        }
        // Change sets written before digests existed (casetrack's and outside ones) are sealed now, in order.
        var previous: String?
        for id in try Int64.fetchAll(db, sql: "SELECT id FROM change_sets ORDER BY id") {
            let digest = try ChangeSetDigest.compute(id, previous: previous, db)
            try db.execute(sql: "UPDATE change_sets SET digest = ?, open = 0 WHERE id = ?", arguments: [digest, id])
            previous = digest
        }
        let objects = try pristineObjects()
        for object in objects where object.type == "view" { try db.execute(sql: object.sql) }
        for object in objects where object.type == "trigger" { try db.execute(sql: object.sql) }
        try HistoryTriggers.install(db)
        // Derived data is computed afresh (from the view case_periods, created above).
        try recomputeDerivedTotals(db)
    }

    /// Fills the per-case totals and the rollup afresh from the cases and their results.
    static func recomputeDerivedTotals(_ db: Database) throws {
        try db.execute(sql: "DELETE FROM case_totals")
        try db.execute(sql: "DELETE FROM report_totals")
        try db.execute(sql: """
            INSERT INTO case_totals (case_id, year, cases, arrests_initial, arrests_extended, gangs, links)
            \(DerivedTotals.recomputedTotalsSQL())
            """)
        try db.execute(sql: "INSERT INTO report_totals \(DerivedTotals.recomputedRollupSQL(server: false))")
    }

    /// v6: replaces the per-case totals by month (with copies of the case's city and category,
    /// and an index by period) with totals by year, and the triggers that kept the rollup from
    /// them with triggers that keep it from the results; adds the table in which the search
    /// triggers note the text a change replaces. Does nothing on a database of version 6.
    static func upgradeToSixth(_ db: Database) throws {
        guard try db.columns(in: "case_totals").contains(where: { $0.name == "month" }) else { return }
        try createMissingTables(db)
        for trigger in ["case_totals_rollup_insert", "case_totals_rollup_update", "case_totals_rollup_delete",
            "cases_totals_move", "cases_totals_relabel"]
        {
            try db.execute(sql: "DROP TRIGGER IF EXISTS \(trigger)")
        }
        try db.execute(sql: "DROP INDEX IF EXISTS case_totals_by_period")
        try rebuildChangedTables(db)
        _ = try HistoryTriggers.repair(db)
        try recomputeDerivedTotals(db)
    }

    /// v7: names every row's change set and case in change_set_cases, drops the indexes on
    /// change_set it replaces, and installs the triggers that keep it (and the history
    /// triggers that file old versions without the view history_entries, which it drops). On a new database (or one
    /// upgraded from v1 to v6 in the same transaction, whose tables were rebuilt without those
    /// indexes) it only names the rows there are.
    static func upgradeToSeventh(_ db: Database) throws {
        try createMissingTables(db)
        try ChangeSetRows.nameEveryRow(db)
        for table in ["cases", "arrests", "gangs", "links"] {
            try db.execute(sql: "DROP INDEX IF EXISTS \(table)_by_change_set")
        }
        // Old versions are filed by the history triggers directly, not through a view.
        try db.execute(sql: "DROP VIEW IF EXISTS history_entries")
        _ = try HistoryTriggers.repair(db)
    }

    /// Rebuilds each table whose definition differs from `schema.sql`'s, keeping its rows (the
    /// columns both definitions share), so that an upgraded database has exactly the schema of a
    /// new one. Foreign keys are checked by the migrator when its transaction ends.
    static func rebuildChangedTables(_ db: Database) throws {
        try db.execute(sql: "PRAGMA legacy_alter_table = ON")
        defer { try? db.execute(sql: "PRAGMA legacy_alter_table = OFF") }
        for object in try pristineObjects() where object.type == "table" {
            guard let current = try String.fetchOne(
                db, sql: "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", arguments: [object.name]),
                current != object.sql
            else { continue }
            let old = "\(object.name)_before_upgrade"
            try db.execute(sql: "ALTER TABLE \(object.name) RENAME TO \(old)")
            try db.execute(sql: object.sql)
            let kept = Set(try db.columns(in: old).map(\.name))
            let columns = try db.columns(in: object.name).map(\.name).filter(kept.contains)
            let list = columns.map(\.quotedDatabaseIdentifier).joined(separator: ", ")
            if object.name != "case_totals" {
                try db.execute(sql: "INSERT INTO \(object.name) (\(list)) SELECT \(list) FROM \(old)")
            }
            try db.execute(sql: "DROP TABLE \(old)")
        }
    }

    /// v2's audit rows become history: every update or delete files the row as it was, with
    /// the change set of the version before it and the case it belonged to then (v2 named the
    /// case a result was moved to); each live row is stamped with the change set of its last
    /// change.
    static func convertAudit(_ db: Database) throws {
        try db.execute(sql: "CREATE TEMP TABLE audit_order AS SELECT id, table_name, row_id, change_set, action, before, case_id, lag(change_set) OVER (PARTITION BY table_name, row_id ORDER BY id) AS previous, row_number() OVER (PARTITION BY table_name, row_id ORDER BY id DESC) AS newest FROM audit")
        try db.execute(sql: """
            INSERT INTO history (change_set, table_name, row_id, case_id, action, valid_from, image)
            SELECT change_set, table_name, row_id,
                   CASE WHEN table_name IN ('arrests', 'gangs', 'links') THEN coalesce(json_extract(before, '$.case_id'), case_id) ELSE case_id END,
                   action, previous, before
            FROM temp.audit_order WHERE action IN ('update', 'delete') ORDER BY id
            """)
        for table in HistoryTriggers.tables {
            try db.execute(sql: """
                UPDATE \(table) SET change_set = (
                    SELECT change_set FROM temp.audit_order o
                    WHERE o.table_name = '\(table)' AND o.row_id = \(table).rowid AND o.newest = 1 AND o.action <> 'delete')
                WHERE rowid IN (SELECT row_id FROM temp.audit_order WHERE table_name = '\(table)')
                """)
        }
        try db.execute(sql: "DROP TABLE temp.audit_order")
    }
}

extension SchemaUpgrade {
    /// Creates the objects of schema.sql's "Search and views" section that the database lacks
    /// (all of them on a database of v3 or older), then fills an empty index from the cases
    /// (also when the v3 upgrade created it empty). On a new database it does nothing.
    static func addSearchAndViews(_ db: Database) throws {
        let objects = try pristineObjects()
        guard let start = objects.firstIndex(where: { $0.name == "case_search_text" }) else { return }
        for object in objects[start...] {
            // The index's own tables appear when the index is created.
            if object.name.hasPrefix("case_search_") && object.type == "table" && object.name != "case_search_terms" {
                continue
            }
            let exists = try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = ? AND name = ?)",
                arguments: [object.type, object.name]) ?? false
            if !exists { try db.execute(sql: object.sql) }
        }
        let indexed = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM case_search_docsize)") ?? false
        let cases = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM cases)") ?? false
        if cases && !indexed {
            try db.execute(sql: "INSERT INTO case_search (case_search) VALUES ('rebuild')")
        }
    }
}

/// Brings an older database's objects in line with `schema.sql`.
enum SchemaUpgrade {
    struct Object: Sendable {
        var type: String
        var name: String
        var sql: String
    }

    /// The objects `schema.sql` creates, in its order, read once per process from a scratch
    /// in-memory database (every write compares the database's triggers with them).
    static func pristineObjects() throws -> [Object] {
        try pristine.get()
    }

    private static let pristine: Result<[Object], Error> = Result { try readPristineObjects() }

    private static func readPristineObjects() throws -> [Object] {
        SQLiteSetup.beforeFirstConnection()
        let scratch = try DatabaseQueue()
        return try scratch.write { db in
            try db.execute(sql: Schema.sql)
            return try Row.fetchAll(
                db, sql: "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY rowid"
            ).map { Object(type: $0["type"], name: $0["name"], sql: $0["sql"]) }
        }
    }

    /// Creates the tables and indexes of `schema.sql` that the database lacks.
    static func createMissingTables(_ db: Database) throws {
        for object in try pristineObjects() where object.type == "table" || object.type == "index" {
            let exists = try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = ? AND name = ?)",
                arguments: [object.type, object.name]) ?? false
            if !exists { try db.execute(sql: object.sql) }
        }
    }
}
