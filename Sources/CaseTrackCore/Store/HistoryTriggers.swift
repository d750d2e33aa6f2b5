import GRDB

/// The history triggers of every versioned table, generated from the table's own columns, so
/// that a column added later is never forgotten by `undo`, and checked by `casetrack check`.
///
/// For a table T with columns c1…cn (besides `change_set`):
/// - `T_history_insert`: a row inserted without the open change set (a write from the sqlite3
///   shell) is stamped with it, opening an 'outside casetrack' change set when none is open.
///   casetrack's own inserts carry their change set, so they cost nothing more.
/// - `T_history_update`: when any column but the timestamps changes, the old version goes to
///   `history` and the row is stamped with the change set that changed it. History keeps one
///   version per change set, as SQL:2011 keeps one per transaction: a row the open change set
///   wrote already (created it, or changed it and filed the version before) files nothing more.
/// - `T_history_delete`: the removed version goes to `history`.
/// - `T_history_delete_changed`: a row removed by the change set that wrote its version files the
///   version from before that change set (the one its first change filed), and a row it created
///   files nothing: an undo brings back what was there before the change set, never a version
///   only the change set itself held.
/// - `T_history_open_update`, `T_history_open_delete`: before a write from outside casetrack
///   that files an old version, an 'outside casetrack' change set is opened when none is open.
/// - `T_history_no_replace`: `INSERT OR REPLACE` (and UPSERT) onto an existing row is refused,
///   since SQLite removes the replaced row without firing delete triggers.
/// - `T_history_keep_row`: a row keeps its id, and an update cannot take another row's key
///   (`UPDATE OR REPLACE` would remove that row the same way).
/// - `T_history_keep_change_set`: a row's change set is set to the open one or not at all: an
///   UPDATE of change_set alone would move a row into another change set unrecorded.
/// - `T_history_cases_insert`, `T_history_cases_update` (cases and their results): the row's
///   change set and case are named in `change_set_cases`, by which a change set's rows are
///   found. A bulk write names the cases it touched once at its end instead (BulkWrite.swift).
public enum HistoryTriggers {
    /// The versioned tables, parents before children.
    public static let tables = [
        "cities", "city_aliases", "categories", "category_aliases", "link_types", "link_type_aliases",
        "cases", "arrests", "gangs", "links",
    ]

    /// Columns whose change alone is not a new version (the database stamps them).
    static let stampColumns: Set<String> = ["created_at", "updated_at", "change_set"]

    /// What `T_history_no_replace` answers an insert onto a row's key (after the table's name).
    static let keyTaken = "a row with this key exists; change it with UPDATE (REPLACE and UPSERT would bypass its history)"

    /// The SQL of the open change set.
    static let openChangeSet = "(SELECT max(id) FROM change_sets WHERE open = 1)"

    /// Every trigger, by name, as generated from the database's current tables.
    public static func definitions(_ db: Database) throws -> [(name: String, sql: String)] {
        var all: [(String, String)] = []
        for table in tables {
            all += try definitions(for: table, db)
        }
        return all
    }

    /// A versioned table's columns as its history images hold them (all but the change set),
    /// and the column naming its case, if any.
    private static func versionedColumns(_ table: String, _ db: Database) throws -> (columns: [String], caseId: String?) {
        let columns = try db.columns(in: table).map(\.name).filter { $0 != "change_set" }
        return (columns, table == "cases" ? "id" : columns.contains("case_id") ? "case_id" : nil)
    }

    /// What history files for the version of `row` (OLD in a trigger, an alias in a query):
    /// the values of history's columns change_set … image, in that order.
    private static func version(of row: String, table: String, action: String, columns: [String], caseId: String?) -> String {
        "\(openChangeSet), '\(table)', \(row).rowid, \(caseId.map { "\(row).\($0)" } ?? "NULL"), '\(action)', \(row).change_set, "
            + "json_object(" + columns.map { "'\($0)', \(row).\($0)" }.joined(separator: ", ") + ")"
    }

    private static let historyColumns = "INSERT INTO history (change_set, table_name, row_id, case_id, action, valid_from, image)"

    /// Files the version of every row of `table` (aliased `t`) that `condition` selects, in
    /// `order`, as `T_history_delete` files a removed row's, in one statement: for a bulk write
    /// that then removes those rows with the connection's triggers off (ConnectionTriggers.swift).
    /// The condition selects rows that do not carry the open change set (those are
    /// `T_history_delete_changed`'s).
    static func fileRemovedVersionsSQL(_ table: String, where condition: String, order: String, _ db: Database) throws -> String {
        let (columns, caseId) = try versionedColumns(table, db)
        return "\(historyColumns) SELECT \(version(of: "t", table: table, action: "delete", columns: columns, caseId: caseId)) "
            + "FROM \(table) AS t WHERE \(condition) ORDER BY \(order)"
    }

    static func definitions(for table: String, _ db: Database) throws -> [(String, String)] {
        let (columns, caseId) = try versionedColumns(table, db)
        // Compared byte for byte: a NOCASE column (an alias, a pinyin) would take 'FRAUD' for
        // 'fraud' and leave the change unrecorded.
        let changed = columns.filter { !stampColumns.contains($0) }.map { "OLD.\($0) IS NOT NEW.\($0) COLLATE BINARY" }
            .joined(separator: " OR ")
        // The old version, filed under the open change set (which the BEFORE trigger opened for
        // a write from outside casetrack: a WHEN clause there costs less than a statement here).
        func fileOldVersion(_ action: String) -> String {
            "\(historyColumns) VALUES (\(version(of: "OLD", table: table, action: action, columns: columns, caseId: caseId)));"
        }
        var unique: [[String]] = []
        for index in try db.indexes(on: table) where index.isUnique {
            unique.append(index.columns)
        }
        if let primaryKey = try db.primaryKey(table).columns as [String]?, !unique.contains(primaryKey) {
            unique.append(primaryKey)
        }
        let clashes = unique.map { key in
            "(" + key.map { "NEW.\($0) IS NOT NULL" }.joined(separator: " AND ") + " AND EXISTS (SELECT 1 FROM \(table) WHERE "
                + key.map { "\($0) = NEW.\($0)" }.joined(separator: " AND ") + "))"
        }.joined(separator: "\n  OR ")
        // An update onto another row's key: UPDATE OR REPLACE would remove that row unrecorded.
        let updateClashes = unique.map { key in
            "(" + key.map { "NEW.\($0) IS NOT OLD.\($0)" }.joined(separator: " OR ") + ") AND EXISTS (SELECT 1 FROM \(table) WHERE "
                + key.map { "\($0) = NEW.\($0)" }.joined(separator: " AND ") + " AND rowid <> OLD.rowid)"
        }.map { "(\($0))" }.joined(separator: "\n  OR ")
        var caseList: [(String, String)] = []
        if let caseId {
            // A shell insert without the change set is stamped by an UPDATE of change_set, which
            // the update trigger sees; an update that moves a row to another case names it too.
            // No conflict clause: a trigger's statements take the one of the statement that fired
            // them (UPDATE OR FAIL would make an OR IGNORE fail), so a pair already named is
            // left out by the query instead.
            let record = """
                WHEN NEW.change_set IS NOT NULL AND NOT EXISTS (SELECT 1 FROM bulk_write)
                BEGIN
                    INSERT INTO change_set_cases (change_set, case_id) SELECT NEW.change_set, NEW.\(caseId)
                    WHERE NOT EXISTS (SELECT 1 FROM change_set_cases WHERE change_set = NEW.change_set AND case_id = NEW.\(caseId));
                END
                """
            let moved = caseId == "id" ? "change_set" : "change_set, \(caseId)"
            caseList = [
                ("\(table)_history_cases_insert", "CREATE TRIGGER \(table)_history_cases_insert AFTER INSERT ON \(table)\n" + record),
                ("\(table)_history_cases_update", "CREATE TRIGGER \(table)_history_cases_update AFTER UPDATE OF \(moved) ON \(table)\n" + record),
            ]
        }
        return caseList + [
            ("\(table)_history_insert", """
                CREATE TRIGGER \(table)_history_insert AFTER INSERT ON \(table)
                WHEN NEW.change_set IS NULL OR NEW.change_set IS NOT \(openChangeSet)
                BEGIN
                    INSERT INTO change_sets (command) SELECT 'outside casetrack'
                    WHERE NOT EXISTS (SELECT 1 FROM change_sets WHERE open = 1);
                    UPDATE \(table) SET change_set = \(openChangeSet) WHERE rowid = NEW.rowid;
                END
                """),
            ("\(table)_history_open_update", """
                CREATE TRIGGER \(table)_history_open_update BEFORE UPDATE ON \(table)
                WHEN (\(changed)) AND NOT EXISTS (SELECT 1 FROM change_sets WHERE open = 1)
                BEGIN
                    INSERT INTO change_sets (command) VALUES ('outside casetrack');
                END
                """),
            ("\(table)_history_update", """
                CREATE TRIGGER \(table)_history_update AFTER UPDATE ON \(table)
                WHEN (\(changed)) AND OLD.change_set IS NOT \(openChangeSet)
                BEGIN
                    \(fileOldVersion("update"))
                    UPDATE \(table) SET change_set = \(openChangeSet) WHERE rowid = NEW.rowid AND change_set IS NOT \(openChangeSet);
                END
                """),
            ("\(table)_history_open_delete", """
                CREATE TRIGGER \(table)_history_open_delete BEFORE DELETE ON \(table)
                WHEN NOT EXISTS (SELECT 1 FROM change_sets WHERE open = 1)
                BEGIN
                    INSERT INTO change_sets (command) VALUES ('outside casetrack');
                END
                """),
            ("\(table)_history_delete", """
                CREATE TRIGGER \(table)_history_delete AFTER DELETE ON \(table)
                WHEN OLD.change_set IS NOT \(openChangeSet)
                BEGIN
                    \(fileOldVersion("delete"))
                END
                """),
            ("\(table)_history_delete_changed", """
                CREATE TRIGGER \(table)_history_delete_changed AFTER DELETE ON \(table)
                WHEN OLD.change_set IS \(openChangeSet)
                BEGIN
                    INSERT INTO history (change_set, table_name, row_id, case_id, action, valid_from, image)
                    SELECT h.change_set, h.table_name, h.row_id, h.case_id, 'delete', h.valid_from, h.image FROM history h
                    WHERE h.change_set = OLD.change_set AND h.table_name = '\(table)' AND h.row_id = OLD.rowid AND h.action = 'update'
                    ORDER BY h.id LIMIT 1;
                END
                """),
            ("\(table)_history_keep_row", """
                CREATE TRIGGER \(table)_history_keep_row BEFORE UPDATE ON \(table)
                WHEN NEW.rowid IS NOT OLD.rowid
                  OR \(updateClashes)
                BEGIN
                    SELECT RAISE(ABORT, '\(table): a row keeps its id, and cannot take the key of another row (UPDATE OR REPLACE would remove that row unrecorded)');
                END
                """),
            ("\(table)_history_keep_change_set", """
                CREATE TRIGGER \(table)_history_keep_change_set BEFORE UPDATE OF change_set ON \(table)
                WHEN NEW.change_set IS NOT OLD.change_set AND NEW.change_set IS NOT \(openChangeSet)
                BEGIN
                    SELECT RAISE(ABORT, '\(table): change_set names the change set that wrote the row; only the triggers stamp it (with the open one)');
                END
                """),
            ("\(table)_history_no_replace", """
                CREATE TRIGGER \(table)_history_no_replace BEFORE INSERT ON \(table)
                WHEN \(clashes)
                BEGIN
                    SELECT RAISE(ABORT, '\(table): \(keyTaken)');
                END
                """),
        ]
    }

    /// A row of `table` (aliased `t`) as the JSON image its history keeps.
    static func imageSQL(_ table: String, _ db: some SQLSession) throws -> String {
        guard let db = db as? Database else {
            // The server's history holds rows as jsonb without their change set and row id.
            return "CAST(to_jsonb(t) - 'change_set' - 'row_id' AS TEXT)"
        }
        let columns = try db.columns(in: table).map(\.name).filter { $0 != "change_set" }
        return "json_object(" + columns.map { "'\($0)', t.\($0)" }.joined(separator: ", ") + ")"
    }

    /// What history.row_id holds for a row of `table` (as `t`): SQLite's rowid; on a server, the
    /// id of cases and results and the row_id column of the vocabularies.
    static func rowIdSQL(_ table: String, _ db: some SQLSession) -> String {
        guard db.isServer else { return "t.rowid" }
        return ["cases", "arrests", "gangs", "links"].contains(table) ? "t.id" : "t.row_id"
    }

    /// Refuses to write while any history trigger is missing or altered, since the change would
    /// go unrecorded.
    static func requireIntact(_ db: Database) throws {
        let problems = try problems(db)
        guard !problems.isEmpty else { return }
        throw CaseTrackError.storage(
            problems.prefix(3).joined(separator: "; ") + (problems.count > 3 ? " (and \(problems.count - 3) more)" : "")
                + ": nothing was changed, since the change would go unrecorded; run `casetrack check`, and `casetrack check --repair` to re-create them")
    }

    /// Creates every history trigger (dropping any of the same name first).
    static func install(_ db: Database) throws {
        for (name, sql) in try definitions(db) {
            try db.execute(sql: "DROP TRIGGER IF EXISTS \(name)")
            try db.execute(sql: sql)
        }
    }

    /// Every trigger and view the register relies on — the generated history triggers and the
    /// guards, totals and rollup triggers of schema.sql — with its expected definition.
    static func expected(_ db: Database) throws -> [(kind: String, name: String, sql: String)] {
        var all = try definitions(db).map { (kind: "trigger", name: $0.name, sql: $0.sql) }
        for object in try SchemaUpgrade.pristineObjects() where object.type == "trigger" || object.type == "view" {
            all.append((kind: object.type, name: object.name, sql: object.sql))
        }
        return all
    }

    /// The triggers and views that are missing or differ from their expected definition, named
    /// by table: "the history triggers of table arrests are missing".
    public static func problems(_ db: Database) throws -> [String] {
        var problems: [String] = []
        for (kind, name, sql) in try expected(db) {
            let found = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE type = ? AND name = ?", arguments: [kind, name])
            let what = name.contains("_history_") ? "history \(kind) \(name)" : "\(kind) \(name)"
            if found == nil {
                problems.append("the \(what) is missing")
            } else if found != sql {
                problems.append("the \(what) was altered")
            }
        }
        return problems
    }

    /// Re-creates every missing or altered trigger and view; returns what it re-created.
    static func repair(_ db: Database) throws -> [String] {
        var repaired: [String] = []
        for (kind, name, sql) in try expected(db) {
            let found = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE type = ? AND name = ?", arguments: [kind, name])
            guard found != sql else { continue }
            if found != nil { try db.execute(sql: "DROP \(kind == "view" ? "VIEW" : "TRIGGER") \(name.quotedDatabaseIdentifier)") }
            try db.execute(sql: sql)
            repaired.append("\(kind) \(name)")
        }
        return repaired
    }
}
