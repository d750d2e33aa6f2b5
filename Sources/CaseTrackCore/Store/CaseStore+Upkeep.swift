import Foundation
import GRDB

extension CaseStore {
    /// Every problem found in the database: SQLite's own integrity and foreign-key checks (a
    /// server enforces its own), casetrack's triggers and functions, then its invariants. An
    /// empty list means the database is sound.
    public func check() throws -> [String] {
        if server != nil {
            return try readSession { db in try ServerSchemaCheck.problems(db) + Self.invariantProblems(db) }
        }
        return try read { db in
            var problems: [String] = []
            problems += try HistoryTriggers.problems(db)
            problems += try ChangeSetDigest.problems(db)
            for message in try String.fetchAll(db, sql: "PRAGMA integrity_check") where message != "ok" {
                problems.append("integrity: \(message)")
            }
            for row in try Row.fetchAll(db, sql: "PRAGMA foreign_key_check") {
                let table: String = row["table"]
                let rowId: Int64? = row["rowid"]
                let parent: String = row["parent"]
                problems.append("foreign key: \(table) row \(rowId.map(String.init) ?? "?") points to a missing \(parent) row")
            }
            problems += try Self.invariantProblems(db)
            problems += try Self.offenders("rows whose change set change_set_cases does not name with their case", ChangeSetRows.unnamedRowsSQL, db)
            let searchIndex = "SELECT 'case ' || id FROM cases WHERE id NOT IN (SELECT id FROM case_search_docsize) UNION ALL SELECT 'index entry ' || id || ' of no case' FROM case_search_docsize WHERE id NOT IN (SELECT id FROM cases)"
            problems += try Self.offenders("search index entries out of step with the cases", searchIndex, db)
            return problems
        } + searchIndexProblems()
    }

    /// casetrack's rules over the rows, the same on both registers: what the schema's
    /// constraints hold, and the derived tables against a recomputation.
    static func invariantProblems(_ db: some SQLSession) throws -> [String] {
        // SQLite's columns take any type; a server's are typed.
        let notInteger = { (column: String) in db.isServer ? "" : "typeof(\(column)) <> 'integer' OR " }
        let invariants: [(String, String)] = [
            ("result rows whose case does not exist",
                "SELECT 'arrest ' || id FROM arrests WHERE case_id NOT IN (SELECT id FROM cases) UNION ALL SELECT 'gang ' || id FROM gangs WHERE case_id NOT IN (SELECT id FROM cases) UNION ALL SELECT 'link ' || id FROM links WHERE case_id NOT IN (SELECT id FROM cases)"),
            ("counts outside 1…1,000,000",
                "SELECT 'arrest ' || id FROM arrests WHERE \(notInteger("count"))count NOT BETWEEN 1 AND 1000000 UNION ALL SELECT 'gang ' || id FROM gangs WHERE \(notInteger("count"))count NOT BETWEEN 1 AND 1000000 UNION ALL SELECT 'link ' || id FROM links WHERE \(notInteger("count"))count NOT BETWEEN 1 AND 1000000"),
            ("cases in an unknown city",
                "SELECT 'case ' || id FROM cases WHERE city NOT IN (SELECT code FROM cities)"),
            ("cases in an unknown category",
                "SELECT 'case ' || id FROM cases WHERE category IS NOT NULL AND category NOT IN (SELECT name FROM categories)"),
            ("chain links of an unknown type",
                "SELECT 'link ' || id FROM links WHERE type IS NOT NULL AND type NOT IN (SELECT name FROM link_types)"),
            ("arrest batches of an unknown phase",
                "SELECT 'arrest ' || id FROM arrests WHERE phase NOT IN ('initial', 'extended')"),
            ("per-case totals that differ from the result rows",
                "SELECT label FROM (\(DerivedTotals.totalsMismatchSQL(server: db.isServer))) AS mismatch"),
            ("report rollup rows that differ from the per-case totals",
                "SELECT label FROM (\(DerivedTotals.rollupMismatchSQL(server: db.isServer))) AS mismatch"),
            ("history rows of a missing change set",
                "SELECT 'history ' || id FROM history WHERE change_set NOT IN (SELECT id FROM change_sets)"),
        ] + HistoryTriggers.tables.map { table in
            ("\(table) rows of a missing change set",
                "SELECT '\(table) ' || \(HistoryTriggers.rowIdSQL(table, db)) FROM \(table) t WHERE change_set IS NOT NULL AND change_set NOT IN (SELECT id FROM change_sets)")
        }
        return try invariants.flatMap { try offenders($0.0, $0.1, db) }
    }

    /// One problem naming the first ten rows `sql` finds, or none.
    private static func offenders(_ title: String, _ sql: String, _ db: some SQLSession) throws -> [String] {
        let offenders = try db.values(String.self, sql)
        guard !offenders.isEmpty else { return [] }
        return ["\(title): " + offenders.prefix(10).joined(separator: ", ") + (offenders.count > 10 ? ", … (\(offenders.count) in all)" : "")]
    }

    /// Re-creates missing or altered triggers and views and recomputes derived data that no
    /// longer matches (totals, rollup, search index), as a change set of its own (so that the
    /// repair shows in the history); returns what was repaired.
    public func repair() throws -> [String] {
        if let server {
            return try ServerTransaction.upkeep(server, actor: actor) { db in
                var repaired = try ServerSchemaCheck.repair(db)
                if try !db.values(String.self, "SELECT 'mismatch' FROM (\(DerivedTotals.totalsMismatchSQL(server: true))) AS mismatch LIMIT 1").isEmpty {
                    try db.execute("SELECT casetrack_recompute_totals(ARRAY(SELECT id FROM cases))", [])
                    repaired.append("the per-case totals")
                }
                if try !db.values(String.self, "SELECT 'mismatch' FROM (\(DerivedTotals.rollupMismatchSQL(server: true))) AS mismatch LIMIT 1").isEmpty {
                    try db.execute("DELETE FROM report_totals", [])
                    try db.execute(
                        "INSERT INTO report_totals (year, month, city, category, cases, arrests_initial, arrests_extended, gangs, links) \(DerivedTotals.recomputedRollupSQL(server: true))", [])
                    repaired.append("the report rollup")
                }
                return repaired
            }
        }
        do {
            var repaired: [String] = []
            try dbQueue.inTransaction(.immediate) { db in
                repaired = try HistoryTriggers.repair(db)
                if try !String.fetchAll(db, sql: "SELECT 1 FROM (\(ChangeSetRows.unnamedRowsSQL)) LIMIT 1").isEmpty {
                    try ChangeSetRows.nameEveryRow(db)
                    repaired.append("the change sets' lists of cases")
                }
                // Derived data is recomputed when it no longer matches what it derives from.
                if try !String.fetchAll(db, sql: "SELECT 1 FROM (\(DerivedTotals.totalsMismatchSQL(server: false))) AS mismatch LIMIT 1").isEmpty {
                    try db.execute(sql: "DELETE FROM case_totals")
                    try db.execute(sql: "INSERT INTO case_totals (case_id, year, cases, arrests_initial, arrests_extended, gangs, links) \(DerivedTotals.recomputedTotalsSQL())")
                    repaired.append("the per-case totals")
                }
                if try !String.fetchAll(db, sql: "SELECT 1 FROM (\(DerivedTotals.rollupMismatchSQL(server: false))) AS mismatch LIMIT 1").isEmpty {
                    try db.execute(sql: "DELETE FROM report_totals")
                    try db.execute(sql: "INSERT INTO report_totals \(DerivedTotals.recomputedRollupSQL(server: false))")
                    repaired.append("the report rollup")
                }
                if try !Self.searchIndexProblems(db).isEmpty {
                    try db.execute(sql: "INSERT INTO case_search (case_search) VALUES ('rebuild')")
                    repaired.append("the search index")
                }
                guard !repaired.isEmpty else { return .rollback }
                let set = try ChangeSets.open(db, actor: actor)
                try ChangeSets.close(set, db)
                return .commit
            }
            return repaired
        } catch let error as DatabaseError {
            throw CaseTrackError.storage(Self.describe(error))
        }
    }

    /// The newest change set's digest: note it to tell later whether the history was rewritten.
    public func chainHead() throws -> (changeSet: Int64, digest: String)? {
        // A server's change sets are not sealed with digests (yet).
        if server != nil { return nil }
        return try read { db in try ChangeSetDigest.chainHead(db).map { (changeSet: $0.0, digest: $0.1) } }
    }

    /// Writes a consistent copy of the database to `destination` through SQLite's online backup,
    /// safe while others write. The copy is created 0600 and never replaces an existing file.
    ///
    /// An existing folder as `destination` receives `casetrack-YYYYMMDD-HHMMSS.db`; a missing
    /// folder is an error (as with cp), and an existing file, link or device is never replaced.
    /// Returns the path written.
    @discardableResult
    public func backup(to requested: String) throws -> String {
        if server != nil {
            // A server's register is more than its rows: roles, grants and row-level security
            // live in the server, and only its own tools copy them whole.
            throw CaseTrackError.input(
                "casetrack backup copies a SQLite register; back up the PostgreSQL register \(path) with the server's pg_dump "
                    + "(pg_dump --format=custom keeps its tables, history, change sets, bureau grants and rules; the roles themselves are the server's: pg_dumpall --roles-only), "
                    + "or write a SQLite copy of its cases with `casetrack copy --from \(path) --to FILE.db`; nothing was written")
        }
        guard !requested.isEmpty else { throw CaseTrackError.input("the backup's path is empty: give a file or a folder to write the copy into") }
        var destination = requested
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: requested, isDirectory: &isFolder), isFolder.boolValue {
            let stamp = DateFormatter()
            stamp.dateFormat = "yyyyMMdd-HHmmss"
            stamp.locale = Locale(identifier: "en_US_POSIX")
            let base = (requested as NSString).appendingPathComponent("casetrack-\(stamp.string(from: Date()))")
            destination = base + ".db"
            // Two backups in one second get -2, -3…, never each other's name.
            var copy = 2
            while DatabaseLocation.exists(destination) {
                destination = "\(base)-\(copy).db"
                copy += 1
            }
        } else if requested.hasSuffix("/") {
            // A path ending in / names a folder, as for cp: a missing one is an error, not a file.
            throw CaseTrackError.input("cannot write the backup into \(requested): the folder does not exist")
        }
        if DatabaseLocation.exists(destination) {
            throw CaseTrackError.input("\(destination) already exists; choose a new name (a backup never replaces a file)")
        }
        let folder = FilePath.folder(of: destination)
        if !folder.isEmpty {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw CaseTrackError.input("cannot write the backup \(destination): the folder \(folder) does not exist")
            }
        }
        umask(0o077)
        do {
            var configuration = Configuration()
            configuration.busyMode = .timeout(Self.busyTimeout)
            let copy = try DatabaseQueue(path: destination, configuration: configuration)
            try dbQueue.backup(to: copy)
            try copy.close()
            chmod(destination, 0o600)
        } catch {
            try? FileManager.default.removeItem(atPath: destination)
            throw CaseTrackError.storage("cannot write the backup \(destination): \(Self.describe(error))")
        }
        return destination
    }
}
