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

    init(row: Row) {
        id = row["id"]
        at = row["at"]
        user = row["user"]
        command = row["command"]
        undoes = row["undoes"]
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
}

/// Which change sets revert which, so that undo and redo can tell what is in effect.
struct UndoLineage {
    /// change set → the change set it reverts.
    private var reverts: [Int64: Int64] = [:]
    /// change set → the change sets that revert it.
    private var revertedBy: [Int64: [Int64]] = [:]

    init(_ db: Database) throws {
        for row in try Row.fetchAll(db, sql: "SELECT id, undoes FROM change_sets WHERE undoes IS NOT NULL") {
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
    // MARK: - Reading the trail

    /// The history of the database (or of one case and its results), newest first.
    /// - Parameter since: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; changes on or after it.
    public func history(of reference: CaseReference? = nil, since: String? = nil) throws -> [HistoryEntry] {
        let sinceText = try since.map { text -> String in
            let date = try PartialDate(parsing: text, field: "--since")
            return "\(String(format: "%04d", date.year))-\(String(format: "%02d", date.month ?? 1))-\(String(format: "%02d", date.day ?? 1))"
        }
        return try read { db in
            var conditions: [String] = []
            var arguments = StatementArguments()
            if let reference {
                let caseId: Int64
                if case let .id(id) = reference {
                    caseId = id
                } else {
                    caseId = try Self.findCase(reference, db).id ?? 0
                }
                conditions.append("a.case_id = ?")
                arguments += [caseId]
            }
            if let sinceText {
                conditions.append("s.at >= ?")
                arguments += [sinceText]
            }
            let sql = """
                SELECT a.table_name, a.row_id, a.case_id, a.action, a.before, a.after,
                       s.id, s.at, s.user, s.command, s.undoes
                FROM audit a JOIN change_sets s ON s.id = a.change_set
                \(conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "))
                ORDER BY a.id DESC
                """
            var labels = RecordLabels()
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                let before = Self.fields(row["before"])
                let after = Self.fields(row["after"])
                let table: String = row["table_name"]
                return HistoryEntry(
                    changeSet: ChangeSet(row: row), action: row["action"],
                    record: try labels.label(table: table, rowId: row["row_id"], caseId: row["case_id"], values: after ?? before ?? [:], db),
                    fields: Self.fieldChanges(before: before, after: after))
            }
        }
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
        let keys = Set((before ?? [:]).keys).union((after ?? [:]).keys).subtracting(["created_at", "updated_at"])
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
    /// change it re-applied. Refuses, naming the records and the later change sets, when a later
    /// change set touched the same records, unless `force`. With `dryRun` it reverts inside a
    /// transaction that is rolled back, so the result tells what an undo would do.
    public func undo(_ requested: Int64? = nil, force: Bool = false, dryRun: Bool = false) throws -> UndoResult {
        try revertChangeSet(dryRun: dryRun) { db, own, lineage in
            if let requested {
                guard let row = try Row.fetchOne(db, sql: "SELECT * FROM change_sets WHERE id = ? AND id <> ?", arguments: [requested, own]) else {
                    throw CaseTrackError.input("no change set \(requested) (see `casetrack log`)")
                }
                if let undoneBy = lineage.revertedInEffect(requested) {
                    throw CaseTrackError.input(
                        "change set \(requested) was already undone by change set \(undoneBy); `casetrack redo` (or `casetrack undo \(undoneBy)`) restores it")
                }
                return ChangeSet(row: row)
            }
            let cursor = try Row.fetchCursor(db, sql: "SELECT * FROM change_sets WHERE id <> ? ORDER BY id DESC", arguments: [own])
            while let row = try cursor.next() {
                let candidate = ChangeSet(row: row)
                if !lineage.isUndo(candidate.id) && lineage.revertedInEffect(candidate.id) == nil { return candidate }
            }
            throw CaseTrackError.input("nothing to undo")
        } check: { target, db in
            if !force { try Self.refuseOverLaterChanges(target, db) }
        }
    }

    /// Re-applies what the newest undo still in effect reverted: the undo is itself undone.
    public func redo(force: Bool = false, dryRun: Bool = false) throws -> UndoResult {
        try revertChangeSet(dryRun: dryRun) { db, own, lineage in
            let cursor = try Row.fetchCursor(
                db, sql: "SELECT * FROM change_sets WHERE id <> ? AND undoes IS NOT NULL ORDER BY id DESC", arguments: [own])
            while let row = try cursor.next() {
                let candidate = ChangeSet(row: row)
                if lineage.isUndo(candidate.id) && lineage.revertedInEffect(candidate.id) == nil { return candidate }
            }
            throw CaseTrackError.input("nothing to redo: no undo is in effect")
        } check: { target, db in
            if !force { try Self.refuseOverLaterChanges(target, db) }
        }
    }

    /// The undo/redo machinery: picks the target, checks it, reverts it under a change set that
    /// names it, and commits (or, for a dry run, rolls back).
    private func revertChangeSet(
        dryRun: Bool, target choose: (Database, Int64, UndoLineage) throws -> ChangeSet,
        check: (ChangeSet, Database) throws -> Void
    ) throws -> UndoResult {
        // The change set that records the revert is opened only once its target is known, so
        // that it can name it (and no change-set id is taken by a refused undo).
        do {
            try useMemoryForStatementJournals()
            var result: UndoResult?
            try dbQueue.inTransaction(.immediate) { db in
                try db.execute(sql: "UPDATE change_sets SET open = 0 WHERE open = 1")
                let lineage = try UndoLineage(db)
                let target = try choose(db, 0, lineage)
                try check(target, db)
                let undoSet = try ChangeSets.open(db, actor: self.actor, undoes: target.id)
                let entries = try self.history(changeSet: target.id, limit: 20, db)
                let reverted = try Self.revert(target, db)
                try ChangeSets.close(undoSet, db)
                result = UndoResult(undone: target, changeSet: undoSet, recordsReverted: reverted, entries: entries, dryRun: dryRun)
                return dryRun ? .rollback : .commit
            }
            guard let result else { throw CaseTrackError.storage("the undo returned nothing") }
            return result
        } catch let error as DatabaseError {
            throw CaseTrackError.storage(Self.describe(error))
        }
    }

    /// Refuses to revert a change set whose records later change sets (still in effect) touched.
    static func refuseOverLaterChanges(_ target: ChangeSet, _ db: Database) throws {
        var labels = RecordLabels()
        let conflicts = try Row.fetchAll(
            db,
            sql: """
                SELECT later.table_name, later.row_id, later.case_id, coalesce(later.after, later.before) AS values_json,
                       group_concat(DISTINCT later.change_set) AS change_sets
                FROM (
                    -- Records of a case: found through the case (indexed).
                    SELECT later.* FROM audit mine JOIN audit later
                      ON later.case_id = mine.case_id AND later.table_name = mine.table_name
                     AND later.row_id = mine.row_id AND later.id > mine.id
                    WHERE mine.change_set = :target AND mine.case_id IS NOT NULL AND later.case_id IS NOT NULL
                    UNION ALL
                    -- Vocabulary records: few, scanned.
                    SELECT later.* FROM audit mine JOIN audit later
                      ON later.table_name = mine.table_name AND later.row_id = mine.row_id AND later.id > mine.id
                    WHERE mine.change_set = :target AND mine.case_id IS NULL AND later.case_id IS NULL
                ) later
                JOIN change_sets ls ON ls.id = later.change_set
                WHERE later.change_set <> :target
                  -- A later change that was undone, and the undo of it, cancel out.
                  AND NOT EXISTS (SELECT 1 FROM change_sets u WHERE u.undoes = ls.id)
                  AND NOT (ls.undoes IS NOT NULL AND ls.undoes > :target)
                GROUP BY later.table_name, later.row_id
                """,
            arguments: ["target": target.id])
        guard !conflicts.isEmpty else { return }
        let names = try conflicts.prefix(20).map { row -> String in
            let values = Self.fields(row["values_json"]) ?? [:]
            let label = try labels.label(table: row["table_name"], rowId: row["row_id"], caseId: row["case_id"], values: values, db)
            return "\(label) (changed again in change set \(row["change_sets"] as String? ?? "?"))"
        }
        throw CaseTrackError.input(
            "cannot revert change set \(target.id): later changes touched the same records: "
                + names.joined(separator: "; ") + (conflicts.count > 20 ? "; …" : "")
                + ". Undo those first, or pass --force to overwrite them")
    }

    /// Applies the inverse of every audit row of a change set. Newest first: removals of what
    /// was added and restorations of what was changed; then re-adding what was removed, parents
    /// before children. The audit rows are read in batches, so that reverting a million-row
    /// import holds one batch at a time. Returns the number of record changes reverted.
    static func revert(_ target: ChangeSet, _ db: Database) throws -> Int {
        var columns: [String: [String]] = [:]
        func columnsOf(_ table: String) throws -> [String] {
            if let known = columns[table] { return known }
            let found = try Self.columns(of: table, db)
            columns[table] = found
            return found
        }
        var reverted = 0
        var below = Int64.max
        while true {
            let batch = try Row.fetchAll(
                db,
                sql: """
                    SELECT id, table_name, row_id, action, before FROM audit
                    WHERE change_set = ? AND action <> 'delete' AND id < ? ORDER BY id DESC LIMIT 10000
                    """,
                arguments: [target.id, below])
            guard let last = batch.last else { break }
            below = last["id"]
            for entry in batch {
                let table: String = entry["table_name"]
                let rowId: Int64 = entry["row_id"]
                let name = table.quotedDatabaseIdentifier
                if entry["action"] == "insert" {
                    try db.cachedStatement(sql: "DELETE FROM \(name) WHERE rowid = ?").execute(arguments: [rowId])
                } else {
                    let set = try columnsOf(table).map { "\($0.quotedDatabaseIdentifier) = json_extract(:before, '$.\($0)')" }
                    try db.cachedStatement(sql: "UPDATE \(name) SET \(set.joined(separator: ", ")) WHERE rowid = :rowid")
                        .execute(arguments: ["before": entry["before"] as String?, "rowid": rowId])
                }
            }
            reverted += batch.count
        }
        let parentsFirst = ["cities", "categories", "link_types", "city_aliases", "category_aliases", "link_type_aliases", "cases", "arrests", "gangs", "links"]
        for table in parentsFirst {
            let tableColumns = try columnsOf(table)
            let names = (["rowid"] + tableColumns).map(\.quotedDatabaseIdentifier).joined(separator: ", ")
            let values = ([":rowid"] + tableColumns.map { "json_extract(:before, '$.\($0)')" }).joined(separator: ", ")
            let insert = try db.cachedStatement(
                sql: "INSERT OR IGNORE INTO \(table.quotedDatabaseIdentifier) (\(names)) VALUES (\(values))")
            var above: Int64 = 0
            while true {
                let batch = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT id, row_id, before FROM audit
                        WHERE change_set = ? AND action = 'delete' AND table_name = ? AND id > ? ORDER BY id LIMIT 10000
                        """,
                    arguments: [target.id, table, above])
                guard let last = batch.last else { break }
                above = last["id"]
                for entry in batch {
                    try insert.execute(arguments: ["before": entry["before"] as String?, "rowid": entry["row_id"] as Int64])
                }
                reverted += batch.count
            }
        }
        return reverted
    }

    /// The first record changes of one change set, for what an undo shows.
    func history(changeSet: Int64, limit: Int, _ db: Database) throws -> [HistoryEntry] {
        var labels = RecordLabels()
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT a.table_name, a.row_id, a.case_id, a.action, a.before, a.after,
                       s.id, s.at, s.user, s.command, s.undoes
                FROM audit a JOIN change_sets s ON s.id = a.change_set
                WHERE a.change_set = ? ORDER BY a.id LIMIT ?
                """,
            arguments: [changeSet, limit])
        return try rows.map { row in
            let before = Self.fields(row["before"])
            let after = Self.fields(row["after"])
            return HistoryEntry(
                changeSet: ChangeSet(row: row), action: row["action"],
                record: try labels.label(table: row["table_name"], rowId: row["row_id"], caseId: row["case_id"], values: after ?? before ?? [:], db),
                fields: Self.fieldChanges(before: before, after: after))
        }
    }

    /// A table's columns (the audit JSON carries exactly these).
    static func columns(of table: String, _ db: Database) throws -> [String] {
        let known = ["cities", "city_aliases", "categories", "category_aliases", "link_types", "link_type_aliases", "cases", "arrests", "gangs", "links"]
        guard known.contains(table) else { throw CaseTrackError.storage("the audit trail names an unknown table \(table)") }
        return try db.columns(in: table).map(\.name)
    }
}

/// Names records for people, remembering the cases already looked up.
struct RecordLabels {
    private var cases: [Int64: String] = [:]

    mutating func label(table: String, rowId: Int64, caseId: Int64?, values: [String: String?], _ db: Database) throws -> String {
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

    /// 襄阳"1.13"@2023 from the case as it is, or as the trail last saw it.
    private mutating func caseLabel(_ id: Int64, _ db: Database) throws -> String? {
        if let known = cases[id] { return known }
        var row = try Row.fetchOne(db, sql: "SELECT city, code, year FROM cases WHERE id = ?", arguments: [id])
        if row == nil, let json = try String.fetchOne(
            db, sql: "SELECT coalesce(after, before) FROM audit WHERE table_name = 'cases' AND row_id = ? ORDER BY id DESC LIMIT 1",
            arguments: [id])
        {
            row = try Row.fetchOne(
                db, sql: "SELECT json_extract(?, '$.city') AS city, json_extract(?, '$.code') AS code, json_extract(?, '$.year') AS year",
                arguments: [json, json, json])
        }
        guard let row, let cityCode: String = row["city"] else { return nil }
        let city = try String.fetchOne(db, sql: "SELECT short_name FROM cities WHERE code = ?", arguments: [cityCode]) ?? cityCode
        let label = CaseLabel.format(city: city, code: row["code"], year: row["year"])
        cases[id] = label
        return label
    }
}
