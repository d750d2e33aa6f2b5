import Foundation
import GRDB

/// What `casetrack copy` did with the source's history.
public struct HistoryReplay: Sendable {
    /// The source's change sets re-applied here, each as a change set of its own.
    public var changeSets = 0
    /// The record changes they held.
    public var records = 0
    /// The source's cases, now here as they are there.
    public var cases = 0
    public var dryRun = false
}

/// Why a source's history cannot be replayed into a register: the copy then merges the cases
/// by the import's rules instead, and says why.
public struct HistoryNotCarried: Error, Sendable, CustomStringConvertible {
    public var reason: String
    public var description: String { reason }
}

extension CaseStore {
    /// Copies a register into this one with its history: every change set of `source`, oldest
    /// first, is applied here again as a change set with the same command, OS user and time
    /// (`undo` and `log` then work on it here as they did there), all in one transaction. Record
    /// ids are this register's own; an undo names the copy of the change set it reverted.
    ///
    /// Possible only when this register holds none of the source's cases (a bureau's file moving
    /// into the shared register, or a server's register into a new file); the result is checked
    /// against the source case by case, row by row. Throws `HistoryNotCarried`, writing nothing,
    /// when this register already holds some of the cases, when the history does not account
    /// for what the source holds (rows older than its history), or when a replayed change is
    /// refused here (a case once under a key this register uses).
    public func replayHistory(of source: CaseStore, dryRun: Bool = false) throws -> HistoryReplay {
        let sourceCases = try source.readSession { try Self.caseContents($0, keys: nil) }
        let held = try readSession { db in
            try db.values(String.self, "SELECT city || '\u{1}' || code || '\u{1}' || year FROM cases")
        }.filter { sourceCases[$0] != nil }
        if !held.isEmpty {
            let named = try source.readSession { try Self.caseLabels(held.sorted().prefix(5), $0) }
            throw HistoryNotCarried(
                reason: "the destination already holds \(held.count) of the source's cases (\(named)\(held.count > 5 ? ", …" : "")), "
                    + "and two histories of one case cannot be joined")
        }
        var replay = HistoryReplay()
        replay.dryRun = dryRun
        replay.cases = sourceCases.count
        do {
            try replaySession(dryRun: dryRun) { db, open, close in
                try source.readSession { src in
                    var mapper = ReplayMapping()
                    let sets = try RowStream(src, "SELECT \(ChangeSet.columns(src)) FROM change_sets ORDER BY id", [])
                    while let row = try sets.next() {
                        let set = ChangeSet(row: row)
                        // Opened at its first record change (one that changed nothing is not
                        // copied); each change is applied as it is read, so that an import of
                        // a million rows is never held whole.
                        var copied: Int64?
                        try Self.changes(of: set.id, caseId: nil, src) { change in
                            if copied == nil {
                                copied = try open(set, set.undoes.flatMap { mapper.changeSets[$0] })
                                mapper.changeSets[set.id] = copied
                            }
                            try Self.replay(change, into: db, mapper: &mapper)
                            replay.records += 1
                            return true
                        }
                        guard let copied else { continue }
                        try close(copied)
                        replay.changeSets += 1
                    }
                }
                let copied = try Self.caseContents(db, keys: Set(sourceCases.keys))
                let differing = sourceCases.keys.filter { sourceCases[$0] != copied[$0] }.sorted()
                if !differing.isEmpty {
                    let named = try Self.caseLabels(differing.prefix(5), db)
                    throw HistoryNotCarried(
                        reason: "the source's history does not account for all it holds (\(differing.count) case(s) differ after replaying it: "
                            + "\(named)\(differing.count > 5 ? ", …" : ""); rows older than its history)")
                }
            }
        } catch let error as CaseTrackError {
            if case .notPermitted = error { throw error }
            throw HistoryNotCarried(reason: "the destination refused a change of the source's history (\(error.description))")
        }
        return replay
    }

    /// 襄阳"1.13"@2023, … for keys city/code/year.
    static func caseLabels(_ keys: some Sequence<String>, _ db: some SQLSession) throws -> String {
        try keys.map { key in
            let parts = key.components(separatedBy: "\u{1}")
            guard parts.count == 3 else { return key }
            let city = try db.value(String.self, "SELECT short_name FROM cities WHERE code = ?", [parts[0].databaseValue]) ?? parts[0]
            return CaseLabel.format(city: city, code: parts[1], year: Int(parts[2]))
        }.joined(separator: ", ")
    }

    /// Each case's fields and result rows (without ids, rows in sorted order), keyed by
    /// city/code/year: what must be equal in two registers holding the same cases.
    static func caseContents(_ db: some SQLSession, keys: Set<String>?) throws -> [String: String] {
        var contents: [String: String] = [:]
        let key = "c.city || '\u{1}' || c.code || '\u{1}' || c.year"
        for row in try db.rows(
            "SELECT \(key) AS k, c.opened, c.closed, c.category, c.name, c.status, c.source, c.note FROM cases c", [])
        {
            let k: String = row["k"]
            if let keys, !keys.contains(k) { continue }
            contents[k] = ["opened", "closed", "category", "name", "status", "source", "note"]
                .map { (row[$0] as String?) ?? "\u{0}" }.joined(separator: "\u{2}")
        }
        for (table, columns) in [("arrests", "r.phase, r.date, r.note, NULL AS name, NULL AS type"),
                                 ("gangs", "NULL AS phase, r.date, r.note, r.name, CAST(r.members AS TEXT) AS type"),
                                 ("links", "NULL AS phase, r.date, r.note, r.name, r.type")]
        {
            var rows: [String: [String]] = [:]
            for row in try db.rows("SELECT \(key) AS k, CAST(r.count AS TEXT) AS count, \(columns) FROM \(table) r JOIN cases c ON c.id = r.case_id", []) {
                let k: String = row["k"]
                guard contents[k] != nil else { continue }
                rows[k, default: []].append(["count", "phase", "date", "note", "name", "type"]
                    .map { (row[$0] as String?) ?? "\u{0}" }.joined(separator: "\u{2}"))
            }
            for (k, list) in rows { contents[k]! += "\u{3}\(table)\u{3}" + list.sorted().joined(separator: "\u{4}") }
        }
        return contents
    }

    /// Which rows and change sets of the source are which here.
    struct ReplayMapping {
        var changeSets: [Int64: Int64] = [:]
        /// table → source id → id here (cases and results; vocabularies go by their names).
        var ids: [String: [Int64: Int64]] = [:]
        /// table → the columns a copied row writes.
        var columns: [String: [String]] = [:]
        /// Vocabulary rows (table and name) this copy added: the only ones it may change or
        /// remove, so that the source's history never touches the destination's own entries.
        var vocabulary: Set<String> = []
    }

    /// The column a vocabulary row is known by in both registers.
    static let naturalKeys = [
        "cities": "code", "city_aliases": "alias", "categories": "name", "category_aliases": "alias",
        "link_types": "name", "link_type_aliases": "alias",
    ]

    /// Applies one record change of the source here: the row it wrote, with this register's
    /// ids in place of the source's.
    static func replay(_ change: RecordChange, into db: some SQLSession, mapper: inout ReplayMapping) throws {
        let table = change.table
        let keyed = naturalKeys[table] == nil
        var image = change.after ?? change.before ?? [:]
        if let caseId = image["case_id"] ?? nil, let source = Int64(caseId) {
            guard let here = mapper.ids["cases"]?[source] else { return }
            image["case_id"] = String(here)
        }
        let columns = try mapper.columns[table] ?? restoredColumns(table, db).filter { $0 != "id" && $0 != "rowid" }
        mapper.columns[table] = columns
        let object = image.mapValues { value -> Any in
            if let value { return value }
            return NSNull()
        }
        let json = String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
        let values = db.isServer
            ? "SELECT " + columns.map { "r.\($0.quotedDatabaseIdentifier)" }.joined(separator: ", ")
                + " FROM jsonb_populate_record(NULL::\(table), CAST(? AS jsonb)) r"
            : "SELECT " + columns.map { "json_extract(?1, '$.\($0)')" }.joined(separator: ", ")
        let names = columns.map(\.quotedDatabaseIdentifier).joined(separator: ", ")
        // The row here: by id (mapped) for cases and results, by name for vocabularies.
        var whereHere: (sql: String, argument: DatabaseValue)?
        if keyed {
            if let here = mapper.ids[table]?[change.rowId] { whereHere = ("id = ?", here.databaseValue) }
        } else if let key = naturalKeys[table], let name = (change.before ?? change.after)?[key] ?? nil {
            whereHere = ("\(key) = ?", name.databaseValue)
        }
        let placeholder = db.isServer ? "?" : "?2"
        let vocabularyKey = (naturalKeys[table]).flatMap { key in
            ((change.before ?? change.after)?[key] ?? nil).map { "\(table)\u{1}\($0)" }
        }
        // An entry the destination had before this copy stays as it is.
        if !keyed, change.action != "insert", let vocabularyKey, !mapper.vocabulary.contains(vocabularyKey),
            let whereHere, try exists(table, whereHere, db)
        {
            return
        }
        if change.action == "delete" {
            guard let whereHere else { return }
            try db.execute("DELETE FROM \(table) WHERE \(whereHere.sql)", [whereHere.argument])
            return
        }
        if change.action == "update", let whereHere, try keyed || exists(table, whereHere, db) {
            let sql = "UPDATE \(table) SET (\(names)) = (\(values)) WHERE \(whereHere.sql.replacingOccurrences(of: "?", with: placeholder))"
            try db.execute(sql, [json.databaseValue, whereHere.argument])
            if let key = naturalKeys[table], let name = change.after?[key] ?? nil { mapper.vocabulary.insert("\(table)\u{1}\(name)") }
            return
        }
        // An insert, or an update of a row this change set itself inserted.
        if !keyed, let whereHere, try exists(table, whereHere, db) { return }
        if keyed {
            guard let id = try db.value(Int64.self, "INSERT INTO \(table) (\(names)) \(values) RETURNING id", [json.databaseValue]) else {
                throw CaseTrackError.storage("the register did not return the copied row's id")
            }
            mapper.ids[table, default: [:]][change.rowId] = id
        } else {
            try db.execute("INSERT INTO \(table) (\(names)) \(values)", [json.databaseValue])
            if let key = naturalKeys[table], let name = change.after?[key] ?? nil { mapper.vocabulary.insert("\(table)\u{1}\(name)") }
        }
    }

    private static func exists(_ table: String, _ condition: (sql: String, argument: DatabaseValue), _ db: some SQLSession) throws -> Bool {
        try db.value(Bool.self, "SELECT EXISTS (SELECT 1 FROM \(table) WHERE \(condition.sql))", [condition.argument]) ?? false
    }

    /// One transaction in which `body` opens and closes change sets of its own (copied ones).
    func replaySession(
        dryRun: Bool,
        _ body: (any SQLSession, _ open: (ChangeSet, Int64?) throws -> Int64, _ close: (Int64) throws -> Void) throws -> Void
    ) throws {
        if let server {
            try ServerTransaction.replay(server, dryRun: dryRun, body)
            return
        }
        do {
            try useMemoryForStatementJournals()
            try dbQueue.inTransaction(.immediate) { db in
                try HistoryTriggers.requireIntact(db)
                try ChangeSets.closeOutside(db)
                try body(
                    db,
                    { set, undoes in
                        try ChangeSets.open(db, actor: Actor(user: set.user ?? "", command: set.command), undoes: undoes, at: set.at)
                    },
                    { try ChangeSets.close($0, db) })
                return dryRun ? .rollback : .commit
            }
        } catch let error as DatabaseError {
            throw CaseTrackError.storage(Self.describe(error))
        }
    }
}
