import GRDB

/// Schema versions.
///
/// `schema.sql` is always the current schema. A new database runs it whole as "v1"; every later
/// migration first checks whether its objects already exist (so it does nothing on a new
/// database) and otherwise upgrades an older file in place, taking the new objects' SQL from
/// `schema.sql` itself, so that the schema is written down in one place only. GRDB runs each
/// pending migration in one transaction with the others.
extension CaseStore {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: Schema.sql)
        }
        // v2: the audit trail (change_sets, audit, and a trigger per table that records changes),
        // and per-case totals that carry the case's city and category.
        migrator.registerMigration("v2-audit") { db in
            guard try !db.tableExists("audit") else { return }
            // Totals are derived data: the old table goes and is computed afresh.
            try db.execute(sql: "DROP TABLE case_totals")
            try SchemaUpgrade.createMissingTables(db)
            try SchemaUpgrade.recreateTriggersAndViews(db)
            try db.execute(sql: """
                INSERT INTO case_totals (case_id, year, month, city, category, cases, arrests_initial, arrests_extended, gangs, links)
                \(CaseStore.recomputedTotalsSQL)
                """)
        }
        return migrator
    }
}

/// Brings an older database's objects in line with `schema.sql`.
enum SchemaUpgrade {
    struct Object {
        var type: String
        var name: String
        var sql: String
    }

    /// The objects `schema.sql` creates, in its order, read from a scratch in-memory database.
    static func pristineObjects() throws -> [Object] {
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

    /// Triggers and views hold no data: drop them all and create the current ones.
    static func recreateTriggersAndViews(_ db: Database) throws {
        let existing = try Row.fetchAll(
            db, sql: "SELECT type, name FROM sqlite_master WHERE type IN ('trigger', 'view') ORDER BY type = 'view'")
        for row in existing {
            let type: String = row["type"]
            let name: String = row["name"]
            try db.execute(sql: "DROP \(type == "view" ? "VIEW" : "TRIGGER") IF EXISTS \(name.quotedDatabaseIdentifier)")
        }
        let objects = try pristineObjects()
        for object in objects where object.type == "view" { try db.execute(sql: object.sql) }
        for object in objects where object.type == "trigger" { try db.execute(sql: object.sql) }
    }
}
