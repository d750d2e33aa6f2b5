import Foundation
import GRDB

/// One command run that changed the database.
public struct ChangeSet: Sendable, Equatable {
    public var id: Int64
    public var at: String
    public var user: String?
    public var command: String
    /// The change set this one reverted, for undos.
    public var undoes: Int64?
    /// True for change sets written outside casetrack (sealed, if at all, only when casetrack next wrote).
    public var outside: Bool

    /// The columns `init(row:)` reads. A server's change sets name the OS user and the database
    /// role; its casetrack change sets are told from outside ones by their command.
    static func columns(_ db: some SQLSession) -> String {
        db.isServer
            ? "id, at, coalesce(os_user || ' (role ' || db_role || ')', 'role ' || db_role) AS \"user\", command, undoes, "
                + "CASE WHEN command LIKE 'outside casetrack%' THEN NULL ELSE 'server' END AS digest"
            : "*"
    }

    init(row: Row) {
        id = row["id"]
        at = row["at"]
        user = row["user"]
        command = row["command"]
        undoes = row["undoes"]
        let digest: String? = row["digest"]
        outside = digest == nil || command == "outside casetrack"
    }
}

/// One field of one record as a change set left it.
public struct FieldChange: Sendable, Equatable {
    public var field: String
    public var before: String?
    public var after: String?
}

/// One change to one record, field by field.
public struct HistoryEntry: Sendable {
    public var changeSet: ChangeSet
    public var action: String
    /// 襄阳"1.13"@2023, "arrest #6 of 襄阳"1.13"@2023", "city 汉川"…
    public var record: String
    public var fields: [FieldChange]
}

/// What `undo` or `redo` did (or, for a dry run, would do).
public struct UndoResult: Sendable {
    public var undone: ChangeSet
    /// The change set that recorded the undo.
    public var changeSet: Int64
    public var recordsReverted: Int
    /// The first record changes of the reverted change set.
    public var entries: [HistoryEntry]
    public var dryRun: Bool
    /// With `force`: the later changes the revert overwrote (the first ones named), and how many.
    public var overwritten: [String] = []
    public var overwrittenCount = 0
}

/// Which change sets revert which, so that undo and redo can tell what is in effect.
struct UndoLineage {
    /// change set → the change set it reverts.
    private var reverts: [Int64: Int64] = [:]
    /// change set → the change sets that revert it.
    private var revertedBy: [Int64: [Int64]] = [:]

    init(_ db: some SQLSession) throws {
        for row in try db.rows("SELECT id, undoes FROM change_sets WHERE undoes IS NOT NULL", []) {
            let id: Int64 = row["id"]
            let target: Int64 = row["undoes"]
            reverts[id] = target
            revertedBy[target, default: []].append(id)
        }
    }

    /// An undo reverts a change; a redo reverts an undo (and so counts as a change again).
    func isUndo(_ id: Int64) -> Bool {
        var depth = 0
        var current = id
        while let target = reverts[current], depth < 10_000 {
            depth += 1
            current = target
        }
        return depth % 2 == 1
    }

    /// The change set, still in effect, that reverted `id`; nil when `id` is in effect.
    func revertedInEffect(_ id: Int64) -> Int64? {
        (revertedBy[id] ?? []).last { revertedInEffect($0) == nil }
    }
}

extension CaseStore {
    // MARK: - Reading the history

    /// The history of the database (or of one case and its results), newest change set first,
    /// record by record, handed to `visit` one at a time so that a million-row change set is
    /// never held whole. `visit` returns false to stop.
    /// - Parameters:
    ///   - since: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; change sets on or after it.
    ///   - limit: at most this many change sets.
    public func history(
        of reference: CaseReference? = nil, since: String? = nil, limit: Int? = nil,
        visit: (HistoryEntry) throws -> Bool
    ) throws {
        let sinceText = try since.map { text -> String in
            let date = try PartialDate(parsing: text, field: "since")
            return "\(String(format: "%04d", date.year))-\(String(format: "%02d", date.month ?? 1))-\(String(format: "%02d", date.day ?? 1))"
        }
        try readSession { db in
            var caseId: Int64?
            if let reference {
                if case let .id(id) = reference { caseId = id } else { caseId = try Self.findCaseInHistory(reference, db) }
            }
            var conditions: [String] = []
            var arguments: [DatabaseValue] = []
            if let sinceText {
                conditions.append("at >= ?")
                arguments += [sinceText.databaseValue]
            }
            let sets = try RowStream(
                db, "SELECT \(ChangeSet.columns(db)) FROM change_sets \(conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")) ORDER BY id DESC",
                arguments)
            var labels = RecordLabels()
            var shown = 0
            while let row = try sets.next() {
                let set = ChangeSet(row: row)
                var any = false
                var stop = false
                try Self.changes(of: set.id, caseId: caseId, db) { change in
                    any = true
                    let entry = HistoryEntry(
                        changeSet: set, action: change.action,
                        record: try labels.label(table: change.table, rowId: change.rowId, caseId: change.caseId, values: change.after ?? change.before ?? [:], db),
                        fields: try labels.named(Self.fieldChanges(before: change.before, after: change.after), db))
                    if try !visit(entry) { stop = true }
                    return !stop
                }
                if stop { return }
                if !any && caseId == nil {
                    // A change set that changed no record (a repair of triggers or derived data).
                    let entry = HistoryEntry(changeSet: set, action: "—", record: "no record changed", fields: [])
                    if try !visit(entry) { return }
                }
                if any || caseId == nil {
                    shown += 1
                    if let limit, shown >= limit { return }
                }
            }
        }
    }

    /// The case a reference names, or a removed one the history remembers by it, so that an
    /// auditor can ask for a removed case's history by its name.
    static func findCaseInHistory(_ reference: CaseReference, _ db: some SQLSession) throws -> Int64? {
        do {
            return try findCase(reference, db).id
        } catch CaseTrackError.caseNotFound(let label) {
            guard case let .key(cityText, code, year) = reference else { throw CaseTrackError.caseNotFound(label) }
            let city = try resolveCity(cityText, db)
            let field = { (name: String) in db.isServer ? "image->>'\(name)'" : "json_extract(image, '$.\(name)')" }
            let removed = try db.values(
                Int64.self,
                """
                SELECT DISTINCT row_id FROM history
                WHERE table_name = 'cases' AND action = 'delete' AND \(field("city")) = ?
                  AND \(field("code")) = ? AND (\(field("year")) = ? OR ? = 0)
                  AND NOT EXISTS (SELECT 1 FROM cases WHERE id = history.row_id)
                """,
                [city.code.databaseValue, code.databaseValue, (db.isServer ? String(year ?? 0).databaseValue : (year ?? 0).databaseValue), (year ?? 0).databaseValue])
            switch removed.count {
            case 0: throw CaseTrackError.caseNotFound(label)
            case 1: return removed[0]
            default:
                throw CaseTrackError.input("\(label) names \(removed.count) removed cases (ids \(removed.map(String.init).joined(separator: ", "))); give the id")
            }
        }
    }

    /// One change to one record, as the history holds it.
    struct RecordChange {
        var table: String
        var rowId: Int64
        var caseId: Int64?
        var action: String
        var before: [String: String?]?
        var after: [String: String?]?
    }

    /// Every record change of one change set (optionally of one case): the updates and deletes
    /// filed in `history`, and the rows it inserted (still current, or filed when replaced later).
    static func changes(of set: Int64, caseId: Int64?, _ db: some SQLSession, visit: (RecordChange) throws -> Bool) throws {
        let caseFilter = caseId == nil ? "" : " AND h.case_id = \(caseId!)"
        let replaced = try RowStream(
            db, "SELECT h.table_name, h.row_id, h.case_id, h.action, CAST(h.image AS TEXT) AS image FROM history h WHERE h.change_set = ?\(caseFilter) ORDER BY h.id",
            [set.databaseValue])
        while let row = try replaced.next() {
            let table: String = row["table_name"]
            let rowId: Int64 = row["row_id"]
            let action: String = row["action"]
            var after: [String: String?]?
            if action == "update" {
                // A row this change set changed and then removed shows as its removal alone.
                guard let written = try versionWrittenBy(set, table: table, rowId: rowId, db) else { continue }
                after = try fields(written)
            }
            let change = RecordChange(
                table: table, rowId: rowId, caseId: row["case_id"], action: action, before: fields(row["image"]), after: after)
            if try !visit(change) { return }
        }
        for table in HistoryTriggers.tables {
            let image = try HistoryTriggers.imageSQL(table, db)
            let owner = table == "cases" ? "t.id" : ["arrests", "gangs", "links"].contains(table) ? "t.case_id" : "NULL"
            if caseId != nil && owner == "NULL" { continue }
            let rowId = HistoryTriggers.rowIdSQL(table, db)
            // Current rows it wrote that it did not update (case by case, as change_set_cases
            // names them, with no sort, so that the first rows print at once however many
            // follow), then versions it wrote, and did not update, that were replaced later:
            // rows it inserted, or put back after a delete.
            let carried = caseId == nil ? ChangeSetRows.carrying(set, table: table, db) : "t.change_set = \(set) AND \(owner) = \(caseId!)"
            let inserted = try RowStream(
                db,
                """
                SELECT \(rowId) AS row_id, \(owner) AS case_id, \(image) AS image FROM \(table) t
                WHERE \(carried)
                  AND NOT EXISTS (SELECT 1 FROM history h WHERE h.change_set = ? AND h.table_name = '\(table)' AND h.row_id = \(rowId))
                UNION ALL
                SELECT n.row_id, n.case_id, CAST(n.image AS TEXT) FROM history n
                WHERE n.valid_from = ? AND n.table_name = '\(table)'\(caseId == nil ? "" : " AND n.case_id = \(caseId!)")
                  AND NOT EXISTS (SELECT 1 FROM history h WHERE h.change_set = ? AND h.table_name = n.table_name AND h.row_id = n.row_id)
                """,
                Array(repeating: set.databaseValue, count: 3))
            while let row = try inserted.next() {
                let change = RecordChange(
                    table: table, rowId: row["row_id"], caseId: row["case_id"], action: "insert", before: nil, after: fields(row["image"]))
                if try !visit(change) { return }
            }
        }
    }

    /// The version of a row that change set `set` wrote: filed in history if replaced since,
    /// else the current row. Nil when neither exists.
    static func versionWrittenBy(_ set: Int64, table: String, rowId: Int64, _ db: some SQLSession) throws -> String? {
        if let filed = try db.value(
            String.self, "SELECT CAST(image AS TEXT) FROM history WHERE table_name = ? AND row_id = ? AND valid_from = ? ORDER BY id LIMIT 1",
            [table.databaseValue, rowId.databaseValue, set.databaseValue])
        {
            return filed
        }
        return try db.value(
            String.self,
            "SELECT \(try HistoryTriggers.imageSQL(table, db)) FROM \(table) t WHERE \(HistoryTriggers.rowIdSQL(table, db)) = ? AND t.change_set = ?",
            [rowId.databaseValue, set.databaseValue])
    }

    /// The last change set that touched a case or its results.
    static func lastChange(ofCase id: Int64, _ db: some SQLSession) throws -> ChangeSet? {
        let latest = try db.value(
            Int64.self,
            """
            SELECT max(x) FROM (
                SELECT change_set AS x FROM cases WHERE id = ?
                UNION ALL SELECT max(change_set) FROM arrests WHERE case_id = ?
                UNION ALL SELECT max(change_set) FROM gangs WHERE case_id = ?
                UNION ALL SELECT max(change_set) FROM links WHERE case_id = ?
                UNION ALL SELECT max(change_set) FROM history WHERE case_id = ?) AS latest
            """,
            Array(repeating: id.databaseValue, count: 5))
        guard let latest else { return nil }
        return try db.row("SELECT \(ChangeSet.columns(db)) FROM change_sets WHERE id = ?", [latest.databaseValue]).map(ChangeSet.init(row:))
    }

    static func fields(_ json: String?) -> [String: String?]? {
        guard let json, let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else { return nil }
        return object.mapValues { value -> String? in
            switch value {
            case is NSNull: return nil
            case let text as String: return text
            case let number as NSNumber: return number.stringValue
            default: return "\(value)"
            }
        }
    }

    /// The fields a change touched, in the table's column order: all non-empty fields of an
    /// inserted or deleted record, the changed ones of an update (timestamps left out).
    static func fieldChanges(before: [String: String?]?, after: [String: String?]?) -> [FieldChange] {
        let order = ["id", "case_id", "code", "short_name", "full_name", "name", "alias", "city", "year", "opened", "closed",
            "category", "status", "count", "phase", "type", "members", "date", "pinyin", "parent", "level",
            "link_type", "source", "note"]
        let keys = Set((before ?? [:]).keys).union((after ?? [:]).keys).subtracting(["created_at", "updated_at", "change_set"])
        let sorted = keys.sorted { (order.firstIndex(of: $0) ?? 99, $0) < (order.firstIndex(of: $1) ?? 99, $1) }
        return sorted.compactMap { key in
            let old = before?[key] ?? nil
            let new = after?[key] ?? nil
            if before != nil && after != nil && old == new { return nil }
            if old == nil && new == nil { return nil }
            return FieldChange(field: key, before: old, after: new)
        }
    }

    // MARK: - Undo and redo

    /// Reverts one whole change set in one transaction that is itself recorded as a change set.
    ///
    /// Without `requested` it takes the newest change set still in effect that is not an undo:
    /// one no undo has reverted (or whose undo a redo has reverted), a redo counting as the
    /// change it re-applied; on a server, the newest of the user's own database role. Refuses, naming the records and the later change sets, when a record
    /// it wrote has been changed since, unless `force`. With `dryRun` it reverts inside a
    /// transaction that is rolled back, so the result tells what an undo would do.
    public func undo(_ requested: Int64? = nil, force: Bool = false, dryRun: Bool = false) throws -> UndoResult {
        try revertChangeSet(dryRun: dryRun, force: force) { db, lineage in
            if let requested {
                guard let row = try db.row("SELECT \(ChangeSet.columns(db)) FROM change_sets WHERE id = ?", [requested.databaseValue]) else {
                    throw CaseTrackError.input("no change set \(requested) (see `casetrack log`)")
                }
                if let undoneBy = lineage.revertedInEffect(requested) {
                    throw CaseTrackError.input(
                        "change set \(requested) was already undone by change set \(undoneBy); `casetrack redo` (or `casetrack undo \(undoneBy)`) restores it")
                }
                return ChangeSet(row: row)
            }
            let sets = try RowStream(db, "SELECT \(ChangeSet.columns(db)) FROM change_sets\(Self.ownChangeSets(db, and: false)) ORDER BY id DESC", [])
            while let row = try sets.next() {
                let candidate = ChangeSet(row: row)
                if !lineage.isUndo(candidate.id) && lineage.revertedInEffect(candidate.id) == nil { return candidate }
            }
            throw CaseTrackError.input("nothing to undo")
        }
    }

    /// On a shared register `undo` and `redo` without a change set take the user's own: the
    /// newest change sets of the database role it writes as, not another bureau's.
    private static func ownChangeSets(_ db: some SQLSession, and: Bool) -> String {
        db.isServer ? (and ? " AND" : " WHERE") + " db_role = session_user" : ""
    }

    /// Re-applies what the newest undo still in effect reverted: the undo is itself undone.
    public func redo(force: Bool = false, dryRun: Bool = false) throws -> UndoResult {
        try revertChangeSet(dryRun: dryRun, force: force) { db, lineage in
            let sets = try RowStream(
                db, "SELECT \(ChangeSet.columns(db)) FROM change_sets WHERE undoes IS NOT NULL\(Self.ownChangeSets(db, and: true)) ORDER BY id DESC", [])
            while let row = try sets.next() {
                let candidate = ChangeSet(row: row)
                if lineage.isUndo(candidate.id) && lineage.revertedInEffect(candidate.id) == nil { return candidate }
            }
            throw CaseTrackError.input("nothing to redo: no undo is in effect")
        }
    }

    /// The undo/redo machinery: picks the target, checks it, reverts it under a change set that
    /// names it, and commits (or, for a dry run, rolls back). The change set that records the
    /// revert is opened only once its target is known, so that it can name it.
    private func revertChangeSet(
        dryRun: Bool, force: Bool, target choose: (any SQLSession, UndoLineage) throws -> ChangeSet
    ) throws -> UndoResult {
        func run(_ db: any SQLSession, open: (Int64) throws -> Int64) throws -> UndoResult {
            let target = try choose(db, try UndoLineage(db))
            var overwritten: (names: [String], count: Int) = ([], 0)
            if force { overwritten = try Self.laterChanges(target, db) } else { try Self.refuseOverLaterChanges(target, db) }
            var entries: [HistoryEntry] = []
            var labels = RecordLabels()
            try Self.changes(of: target.id, caseId: nil, db) { change in
                entries.append(HistoryEntry(
                    changeSet: target, action: change.action,
                    record: try labels.label(table: change.table, rowId: change.rowId, caseId: change.caseId, values: change.after ?? change.before ?? [:], db),
                    fields: try labels.named(Self.fieldChanges(before: change.before, after: change.after), db)))
                return entries.count < 20
            }
            let undoSet = try open(target.id)
            let reverted = try Self.revert(target, db)
            return UndoResult(
                undone: target, changeSet: undoSet, recordsReverted: reverted, entries: entries, dryRun: dryRun,
                overwritten: overwritten.names, overwrittenCount: overwritten.count)
        }
        if let server {
            return try ServerTransaction.revert(server, actor: actor, dryRun: dryRun, run)
        }
        do {
            try useMemoryForStatementJournals()
            var result: UndoResult?
            try dbQueue.inTransaction(.immediate) { db in
                try ChangeSets.closeOutside(db)
                try HistoryTriggers.requireIntact(db)
                var undoSet: Int64?
                result = try run(db) { target in
                    undoSet = try ChangeSets.open(db, actor: self.actor, undoes: target)
                    return undoSet!
                }
                if let undoSet { try ChangeSets.close(undoSet, db) }
                return dryRun ? .rollback : .commit
            }
            guard let result else { throw CaseTrackError.storage("the undo returned nothing") }
            return result
        } catch let error as DatabaseError {
            throw CaseTrackError.storage(Self.describe(error))
        }
    }

    /// `a IS NOT b` where either may be NULL, in the register's dialect.
    private static func differs(_ a: String, _ b: String, _ db: some SQLSession) -> String {
        db.isServer ? "\(a) IS DISTINCT FROM \(b)" : "\(a) IS NOT \(b)"
    }

    /// The records a change set wrote that have changed since (and were not changed back), the
    /// results added later to cases it created, and the records it removed that exist again:
    /// the first `shown` named, and how many in all.
    static func laterChanges(_ target: ChangeSet, _ db: some SQLSession, shown limit: Int = 20) throws -> (names: [String], count: Int) {
        var labels = RecordLabels()
        var names: [String] = []
        var count = 0
        func found(_ name: @autoclosure () throws -> String) rethrows {
            count += 1
            if names.count < limit { names.append(try name()) }
        }
        let set = target.id.databaseValue
        // Versions it wrote that later change sets replaced: a change unless the record holds
        // that version again (a later change that was itself undone).
        let replaced = try RowStream(
            db, "SELECT table_name, row_id, case_id, CAST(image AS TEXT) AS image, change_set FROM history WHERE valid_from = ? ORDER BY id", [set])
        var seen = Set<String>()
        while let row = try replaced.next() {
            let table: String = row["table_name"]
            let rowId: Int64 = row["row_id"]
            guard seen.insert("\(table) \(rowId)").inserted else { continue }
            let written: String = row["image"]
            let rowIdColumn = HistoryTriggers.rowIdSQL(table, db)
            let current = try db.value(
                String.self, "SELECT \(try HistoryTriggers.imageSQL(table, db)) FROM \(table) t WHERE \(rowIdColumn) = ?", [rowId.databaseValue])
            if let current, try sameData(current, written, db) { continue }
            try found({
                let latest = try db.value(
                    Int64.self,
                    "SELECT coalesce((SELECT change_set FROM \(table) t WHERE \(rowIdColumn) = ?), (SELECT max(change_set) FROM history WHERE table_name = ? AND row_id = ?))",
                    [rowId.databaseValue, table.databaseValue, rowId.databaseValue]) ?? 0
                let label = try labels.label(table: table, rowId: rowId, caseId: row["case_id"], values: fields(written) ?? [:], db)
                return "\(label) (changed again in change set \(latest))"
            }())
        }
        // Results added later to a case it created: removing the case would take them along.
        // A case it created is one whose version it wrote, now or before an undo and a redo
        // brought the same version back (its version then sits in history, written by it); a
        // result is its own the same way.
        for table in ["arrests", "gangs", "links"] {
            let later = try RowStream(
                db,
                """
                SELECT r.id, r.case_id, r.change_set FROM \(table) r JOIN cases c ON c.id = r.case_id
                WHERE ((\(ChangeSetRows.carrying(target.id, table: "cases", alias: "c", db)))
                       OR c.id IN (SELECT row_id FROM history WHERE valid_from = ? AND table_name = 'cases'))
                  AND \(differs("r.change_set", "?", db))
                  AND NOT EXISTS (SELECT 1 FROM history h WHERE h.change_set = ? AND h.table_name = 'cases' AND h.row_id = c.id)
                  AND NOT EXISTS (SELECT 1 FROM history h WHERE h.valid_from = ? AND h.table_name = '\(table)' AND h.row_id = r.id)
                """,
                [set, set, set, set])
            while let row = try later.next() {
                try found({
                    let label = try labels.label(table: table, rowId: row["id"], caseId: row["case_id"], values: [:], db)
                    return "\(label) (added in change set \(row["change_set"] as Int64? ?? 0) to a case this change set created)"
                }())
            }
        }
        // Records it removed that exist again, table by table (a join, not a lookup per record:
        // the undo of a large import removed every record it wrote).
        for table in HistoryTriggers.tables {
            let again = try RowStream(
                db,
                """
                SELECT h.row_id, h.case_id, CAST(h.image AS TEXT) AS image, coalesce(t.change_set, 0) AS again
                FROM history h JOIN \(table) t ON \(HistoryTriggers.rowIdSQL(table, db)) = h.row_id
                WHERE h.change_set = ? AND h.action = 'delete' AND h.table_name = ?
                ORDER BY h.id
                """,
                [set, table.databaseValue])
            while let row = try again.next() {
                try found({
                    let label = try labels.label(table: table, rowId: row["row_id"], caseId: row["case_id"], values: fields(row["image"]) ?? [:], db)
                    return "\(label) (exists again since change set \(row["again"] as Int64))"
                }())
            }
        }
        return (names, count)
    }

    /// Refuses to revert a change set over later changes, naming them.
    static func refuseOverLaterChanges(_ target: ChangeSet, _ db: some SQLSession) throws {
        let later = try laterChanges(target, db)
        guard later.count > 0 else { return }
        throw CaseTrackError.input(
            "cannot revert change set \(target.id): later changes touched the same records: "
                + later.names.joined(separator: "; ")
                + (later.count > later.names.count ? "; and \(later.count - later.names.count) more" : "")
                + ". Undo those first, or pass --force to overwrite them")
    }

    /// The rule a database refused a record with, in words; nil for refusals that are not about
    /// the record's data (a bureau's rights, a lost connection), which keep their own message.
    /// Why a record cannot go back when another holds its key.
    static let keyTaken = "another record now has its key"

    static func refusedRule(_ error: Error) -> String? {
        if let error = error as? DatabaseError {
            switch error.extendedResultCode {
            case .SQLITE_CONSTRAINT_FOREIGNKEY:
                return "what it belongs to (its case, city, category or link type) no longer exists"
            case .SQLITE_CONSTRAINT_UNIQUE, .SQLITE_CONSTRAINT_PRIMARYKEY:
                return keyTaken
            case .SQLITE_CONSTRAINT_CHECK:
                return "it no longer fits the rules of the register (\(error.message ?? "a check failed"))"
            case .SQLITE_CONSTRAINT_TRIGGER where error.message?.hasSuffix(HistoryTriggers.keyTaken) == true:
                return keyTaken
            default:
                return error.resultCode == .SQLITE_CONSTRAINT ? error.message ?? "the database refused it" : nil
            }
        }
        if let error = error as? ServerError {
            switch error.sqlState {
            case "23503": return "what it belongs to (its case, city, category or link type) no longer exists"
            case "23505": return keyTaken
            case "23514", "23502": return "it no longer fits the rules of the register (\(error.message))"
            default: return nil
            }
        }
        return nil
    }

    /// Why a record cannot be put back, in words: the record, what stands in the way, and the
    /// later change set that put it there when the history tells.
    static func revertFailure(
        _ error: Error, restoring table: String, rowId: Int64, image: String, _ target: ChangeSet, _ db: some SQLSession
    ) throws -> Error {
        guard let reason = refusedRule(error) else { return error }
        // A server's transaction takes no statement after a refusal until it is rolled back to
        // before the revert's writes.
        if db.isServer { try db.execute("ROLLBACK TO SAVEPOINT casetrack_revert", []) }
        var labels = RecordLabels()
        let values = fields(image) ?? [:]
        let label = try labels.label(table: table, rowId: rowId, caseId: nil, values: values, db)
        // A case whose key another case took since: that case, and what to do about it.
        if table == "cases", reason == keyTaken, let city = values["city"] ?? nil, let code = values["code"] ?? nil,
            let year = (values["year"] ?? nil).flatMap({ Int64($0) }),
            let holder = try db.row(
                "SELECT id, change_set FROM cases WHERE city = ? AND code = ? AND year = ?",
                [city.databaseValue, code.databaseValue, year.databaseValue])
        {
            let id: Int64 = holder["id"]
            let writtenBy = (holder["change_set"] as Int64?).map { ", written by change set \($0)" } ?? ""
            return CaseTrackError.input(
                "cannot revert change set \(target.id): \(label) cannot be put back: case #\(id) now has its key (city, code and year\(writtenBy)); "
                    + "nothing was changed. Remove that case first (casetrack case rm \(id)) to undo this")
        }
        // The revert's own change set (open) is not a later change: it goes with the revert.
        let latest = try db.value(Int64.self, "SELECT max(id) FROM change_sets WHERE id > ? AND open = 0", [target.id.databaseValue])
        return CaseTrackError.input(
            "cannot revert change set \(target.id): \(label) cannot be put back: \(reason)"
                + (latest.map { " (changed since, up to change set \($0))" } ?? "") + "; nothing was changed")
    }

    /// True when two row images hold the same data (timestamps aside).
    static func sameData(_ a: String, _ b: String, _ db: some SQLSession) throws -> Bool {
        let sql = db.isServer
            ? "SELECT (CAST(? AS jsonb) - 'created_at' - 'updated_at') = (CAST(? AS jsonb) - 'created_at' - 'updated_at')"
            : "SELECT json(json_remove(?, '$.created_at', '$.updated_at')) = json(json_remove(?, '$.created_at', '$.updated_at'))"
        return try db.value(Bool.self, sql, [a.databaseValue, b.databaseValue]) ?? false
    }

    /// Applies the inverse of a change set: the rows it inserted are deleted (children first),
    /// the rows it updated get their old version back, and the rows it deleted are inserted
    /// again (parents first). Each is a plain write, so the triggers file the revert's own
    /// history and redo can revert it in turn. Returns the number of record changes reverted.
    static func revert(_ target: ChangeSet, _ db: some SQLSession) throws -> Int {
        guard let db = db as? Database else {
            // A server's triggers keep the totals row by row.
            try db.execute("SAVEPOINT casetrack_revert", [])
            return try revertRows(target, db)
        }
        // Many rows may go or come back: the touched cases' totals and search documents are
        // recomputed once at the end instead of row by row.
        // The cases whose rows it wrote (change_set_cases names them, and perhaps a few more),
        // those its history names (before and after each version), those that hold now a
        // result it wrote back (a later change may have moved it to another case), every case
        // when it renamed a category and every case with a typed chain link when it renamed a
        // link type (a rename reaches every row that names it, by ON UPDATE CASCADE).
        let touched = """
            SELECT case_id AS id FROM change_set_cases WHERE change_set = :set
            UNION SELECT case_id FROM history WHERE (change_set = :set OR valid_from = :set) AND case_id IS NOT NULL
            UNION SELECT case_id FROM arrests WHERE rowid IN (
                SELECT row_id FROM history WHERE (change_set = :set OR valid_from = :set) AND table_name = 'arrests')
            UNION SELECT case_id FROM gangs WHERE rowid IN (
                SELECT row_id FROM history WHERE (change_set = :set OR valid_from = :set) AND table_name = 'gangs')
            UNION SELECT case_id FROM links WHERE rowid IN (
                SELECT row_id FROM history WHERE (change_set = :set OR valid_from = :set) AND table_name = 'links')
            UNION SELECT id FROM cases WHERE EXISTS (
                SELECT 1 FROM history WHERE (change_set = :set OR valid_from = :set) AND table_name = 'categories')
            UNION SELECT case_id FROM links WHERE type IS NOT NULL AND EXISTS (
                SELECT 1 FROM history WHERE (change_set = :set OR valid_from = :set) AND table_name = 'link_types')
            """
        try BulkWrite.begin(db)
        defer { BulkWrite.end(db) }
        try BulkWrite.touch(casesIn: touched, arguments: ["set": target.id], db, rebuildingWholeWhenMost: true)
        let reverted = try revertRows(target, db)
        try BulkWrite.finish(db)
        return reverted
    }

    /// The columns of a versioned table a revert writes back: all but the change set (and, on
    /// a server, the key — id or the vocabularies' row_id — which the revert binds from
    /// history.row_id).
    static func restoredColumns(_ table: String, _ db: some SQLSession) throws -> [String] {
        if let db = db as? Database {
            return try db.columns(in: table).map(\.name).filter { $0 != "change_set" }
        }
        return try db.values(
            String.self,
            """
            SELECT CAST(column_name AS TEXT) FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = ? AND column_name NOT IN ('change_set', 'row_id', ?)
            ORDER BY ordinal_position
            """,
            [table.databaseValue, (["cases", "arrests", "gangs", "links"].contains(table) ? "id" : "row_id").databaseValue])
    }

    static func revertRows(_ target: ChangeSet, _ db: some SQLSession) throws -> Int {
        var reverted = 0
        let set = target.id.databaseValue
        // Only the tables it wrote: a bureau's role may not even try to write the vocabularies.
        let written = try HistoryTriggers.tables.filter { table in
            try db.value(
                Bool.self,
                """
                SELECT EXISTS (SELECT 1 FROM \(table) t WHERE \(ChangeSetRows.carrying(target.id, table: table, db)))
                    OR EXISTS (SELECT 1 FROM history WHERE change_set = ? AND table_name = ?)
                    OR EXISTS (SELECT 1 FROM history WHERE valid_from = ? AND table_name = ?)
                """,
                [set, table.databaseValue, set, table.databaseValue]) ?? true
        }
        for table in written.reversed() {
            let rowId = HistoryTriggers.rowIdSQL(table, db)
            // Rows it inserted that were changed later (and, without --force, changed back):
            // their first version, filed in history, is its own. Before the rows it inserted go,
            // whose versions this revert files with the same valid_from and would only be read
            // here to be passed over.
            reverted += try db.executeCounting(
                """
                DELETE FROM \(table) AS t WHERE \(rowId) IN (
                    SELECT n.row_id FROM history n
                    WHERE n.valid_from = ? AND n.table_name = '\(table)'
                      AND NOT EXISTS (SELECT 1 FROM history h WHERE h.change_set = ? AND h.table_name = n.table_name AND h.row_id = n.row_id))
                """,
                [set, set])
            // The rows it inserted and did not update (a row it updated carries it too, and the
            // version from before is filed under it; an import of new cases filed none, and
            // the test per row is left out). A case's results go first, so that the cascade
            // from a case deletes nothing unrecorded.
            let updatedRows = try db.value(
                Bool.self, "SELECT EXISTS (SELECT 1 FROM history WHERE change_set = ? AND table_name = ?)", [set, table.databaseValue]) ?? true
            let inserted = "t.change_set = \(target.id)" + (updatedRows
                ? " AND NOT EXISTS (SELECT 1 FROM history h WHERE h.change_set = \(target.id) AND h.table_name = '\(table)' AND h.row_id = \(rowId))"
                : "")
            if db.isServer {
                reverted += try db.executeCounting("DELETE FROM \(table) AS t WHERE \(inserted)", [])
            } else if let file = db as? Database, ChangeSetRows.caseColumn(of: table) != nil {
                reverted += try RevertInBulk.removeInserted(table, by: target.id, inserted: inserted, file)
            } else {
                // Ten thousand per statement, for the same reason.
                while true {
                    let deleted = try db.executeCounting(
                        "DELETE FROM \(table) AS t WHERE rowid IN (SELECT rowid FROM \(table) AS t WHERE \(inserted) LIMIT 10000)",
                        [])
                    reverted += deleted
                    if deleted < 10000 { break }
                }
            }
        }
        var columns: [String: [String]] = [:]
        func columnsOf(_ table: String) throws -> [String] {
            if let known = columns[table] { return known }
            let found = try restoredColumns(table, db)
            columns[table] = found
            return found
        }
        // A version from its image: SQLite's JSON functions, or the server's record of the table's type.
        func restoring(_ table: String) throws -> (names: [String], values: String) {
            let names = try columnsOf(table)
            if db.isServer {
                return (names, "SELECT " + names.map { "r.\($0.quotedDatabaseIdentifier)" }.joined(separator: ", ")
                    + " FROM jsonb_populate_record(NULL::\(table), CAST(? AS jsonb)) r")
            }
            return (names, "SELECT " + names.map { "json_extract(?1, '$.\($0)')" }.joined(separator: ", "))
        }
        // Updates, newest first, restore the version before.
        var below = Int64.max
        while true {
            let batch = try db.rows(
                "SELECT id, table_name, row_id, CAST(image AS TEXT) AS image FROM history WHERE change_set = ? AND action = 'update' AND id < ? ORDER BY id DESC LIMIT 10000",
                [set, below.databaseValue])
            guard let last = batch.last else { break }
            below = last["id"]
            for entry in batch {
                let table: String = entry["table_name"]
                let image: String = entry["image"]
                let rowId: Int64 = entry["row_id"]
                let version = try restoring(table)
                let sql = db.isServer
                    ? "UPDATE \(table) AS t SET (\(version.names.map(\.quotedDatabaseIdentifier).joined(separator: ", "))) = (\(version.values)) WHERE \(HistoryTriggers.rowIdSQL(table, db)) = ?"
                    : "UPDATE \(table) SET (\(version.names.map(\.quotedDatabaseIdentifier).joined(separator: ", "))) = (\(version.values)) WHERE rowid = ?2"
                do {
                    try db.execute(sql, [image.databaseValue, rowId.databaseValue])
                } catch {
                    throw try revertFailure(error, restoring: table, rowId: rowId, image: image, target, db)
                }
            }
            reverted += batch.count
        }
        // Deleted rows come back, parents first, with their ids.
        for table in written {
            if let file = db as? Database, let count = try RevertInBulk.restoreRemoved(table, by: target.id, columns: try columnsOf(table), file) {
                reverted += count
                continue
            }
            let version = try restoring(table)
            let key = db.isServer ? (["cases", "arrests", "gangs", "links"].contains(table) ? "id" : "row_id") : "rowid"
            let names = ([key] + version.names).map(\.quotedDatabaseIdentifier).joined(separator: ", ")
            let insert = db.isServer
                ? "INSERT INTO \(table) (\(names)) SELECT CAST(? AS bigint), r.* FROM (\(version.values)) r"
                : "INSERT INTO \(table) (\(names)) SELECT ?2, * FROM (\(version.values))"
            var above: Int64 = 0
            while true {
                let batch = try db.rows(
                    """
                    SELECT h.id, h.row_id, CAST(h.image AS TEXT) AS image FROM history h
                    WHERE h.change_set = ? AND h.action = 'delete' AND h.table_name = ? AND h.id > ?
                      AND NOT EXISTS (SELECT 1 FROM \(table) t WHERE \(HistoryTriggers.rowIdSQL(table, db)) = h.row_id)
                    ORDER BY h.id LIMIT 10000
                    """,
                    [set, table.databaseValue, above.databaseValue])
                guard let last = batch.last else { break }
                above = last["id"]
                for entry in batch {
                    let image: String = entry["image"]
                    let rowId: Int64 = entry["row_id"]
                    do {
                        // The server binds the row id first, SQLite names it ?2 after the image.
                        try db.execute(insert, db.isServer ? [rowId.databaseValue, image.databaseValue] : [image.databaseValue, rowId.databaseValue])
                    } catch {
                        throw try revertFailure(error, restoring: table, rowId: rowId, image: image, target, db)
                    }
                }
                reverted += batch.count
            }
        }
        return reverted
    }

}

/// Names records for people, remembering the cases already looked up.
struct RecordLabels {
    private var cases: [Int64: String] = [:]

    mutating func label(table: String, rowId: Int64, caseId: Int64?, values: [String: String?], _ db: some SQLSession) throws -> String {
        func value(_ key: String) -> String { (values[key] ?? nil) ?? "?" }
        switch table {
        case "cases":
            return "case " + (try caseLabel(rowId, db) ?? "#\(rowId)")
        case "arrests", "gangs", "links":
            let kind = table == "arrests" ? "arrest" : table == "gangs" ? "gang" : "link"
            let owner = try caseId.flatMap { try caseLabel($0, db) } ?? "a removed case"
            return "\(kind) #\(rowId) of \(owner)"
        case "cities": return "city \(value("short_name"))"
        case "city_aliases": return "city alias \(value("alias"))"
        case "categories": return "category \(value("name"))"
        case "category_aliases": return "category alias \(value("alias"))"
        case "link_types": return "link type \(value("name"))"
        case "link_type_aliases": return "link type alias \(value("alias"))"
        default: return "\(table) #\(rowId)"
        }
    }

    /// Field values as people read them: division codes become their names (420984 → 汉川).
    mutating func named(_ changes: [FieldChange], _ db: some SQLSession) throws -> [FieldChange] {
        var result = changes
        for index in result.indices where ["city", "parent"].contains(result[index].field) {
            result[index].before = try result[index].before.map { try cityName($0, db) }
            result[index].after = try result[index].after.map { try cityName($0, db) }
        }
        return result
    }

    private var cities: [String: String] = [:]

    private mutating func cityName(_ code: String, _ db: some SQLSession) throws -> String {
        if let known = cities[code] { return known }
        let name = try db.value(String.self, "SELECT short_name FROM cities WHERE code = ?", [code.databaseValue]) ?? code
        cities[code] = name
        return name
    }

    /// 襄阳"1.13"@2023 from the case as it is, or as the history last saw it.
    private mutating func caseLabel(_ id: Int64, _ db: some SQLSession) throws -> String? {
        if let known = cases[id] { return known }
        var row = try db.row("SELECT city, code, year FROM cases WHERE id = ?", [id.databaseValue])
        if row == nil, let json = try db.value(
            String.self, "SELECT CAST(image AS TEXT) FROM history WHERE table_name = 'cases' AND row_id = ? ORDER BY id DESC LIMIT 1",
            [id.databaseValue]), let old = CaseStore.fields(json)
        {
            row = ["city": old["city"] ?? nil, "code": old["code"] ?? nil, "year": (old["year"] ?? nil).flatMap { Int($0) }]
        }
        guard let row, let cityCode: String = row["city"] else { return nil }
        let city = try db.value(String.self, "SELECT short_name FROM cities WHERE code = ?", [cityCode.databaseValue]) ?? cityCode
        let label = CaseLabel.format(city: city, code: row["code"], year: row["year"])
        cases[id] = label
        return label
    }
}
