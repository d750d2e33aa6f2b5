import Foundation
import GRDB

/// Who is changing the database: recorded with every change set.
public struct Actor: Sendable, Equatable {
    /// The operating-system user.
    public var user: String
    /// The command line, quoted so that it can be read back.
    public var command: String

    public init(user: String, command: String) {
        self.user = user
        self.command = command
    }

    /// The user running this process and its command line.
    public static var current: Actor {
        var user = ProcessInfo.processInfo.environment["USER"] ?? "unknown"
        if let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name {
            user = String(cString: name)
        }
        var words = CommandLine.arguments.map(withoutPassword)
        if let first = words.first { words[0] = (first as NSString).lastPathComponent }
        return Actor(user: user, command: words.map(shellQuoted).joined(separator: " "))
    }

    /// A word with the password of a server address in it replaced by ***: the command line
    /// is kept in the history, which every bureau reads and nobody can change.
    static func withoutPassword(_ word: String) -> String {
        word.replacing(/(?i)(postgres(?:ql)?:\/*[^\/@:?#\s]*):[^@\/?#\s]*@/) { "\($0.1):***@" }
            .replacing(/(?i)([?&]password=)[^&\s]*/) { "\($0.1)***" }
    }

    static func shellQuoted(_ word: String) -> String {
        let plain = !word.isEmpty && word.unicodeScalars.allSatisfy {
            !CharacterSet.whitespacesAndNewlines.contains($0) && !"'\"\\$`!*?;&|<>(){}[]#~".unicodeScalars.contains($0)
        }
        return plain ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

/// Change sets group the changes of one command run. casetrack opens one at the start of every
/// write transaction and closes it before committing; rows it writes carry it, and the history
/// triggers file old versions under the newest open change set.
enum ChangeSets {
    /// Opens this command's change set, closing any left open by writes from outside casetrack.
    /// `at` keeps the time of a change set copied from another register (`casetrack copy`).
    static func open(_ db: Database, actor: Actor, undoes: Int64? = nil, at: String? = nil) throws -> Int64 {
        try closeOutside(db)
        try db.execute(
            sql: "INSERT INTO change_sets (at, user, command, undoes) VALUES (coalesce(?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')), ?, ?, ?)",
            arguments: [at, actor.user, actor.command, undoes])
        return db.lastInsertedRowID
    }

    /// True when the transaction that opened change set `id` changed anything: rows or old
    /// versions carry `id` or a later change set (an undo opens its own). The rows of cases and
    /// results are named with their change set in `change_set_cases`.
    static func changedAnything(_ id: Int64, _ db: Database) throws -> Bool {
        let tables = ["history", "change_set_cases"] + HistoryTriggers.tables.filter { ChangeSetRows.caseColumn(of: $0) == nil }
        let sql = "SELECT " + tables.map { "EXISTS (SELECT 1 FROM \($0) WHERE change_set >= :id)" }.joined(separator: " OR ")
        return try Bool.fetchOne(db, sql: sql, arguments: ["id": id]) ?? false
    }

    /// The open change set of this transaction.
    static func current(_ db: Database) throws -> Int64? {
        try Int64.fetchOne(db, sql: "SELECT max(id) FROM change_sets WHERE open = 1")
    }

    /// Closes a change set left open by writes from outside casetrack, sealing it as it stands,
    /// so that history forged into it later breaks the chain like any other. One that recorded
    /// nothing is dropped instead: the history triggers open it before a row is updated or
    /// deleted, and SQLite may then skip the row (UPDATE OR IGNORE) or stop (OR FAIL).
    static func closeOutside(_ db: Database) throws {
        for id in try Int64.fetchAll(db, sql: "SELECT id FROM change_sets WHERE open = 1 ORDER BY id") {
            if try changedAnything(id, db) {
                try close(id, db)
            } else {
                // Its number is given again, so that the numbering keeps no gap for it.
                try db.execute(sql: "DELETE FROM change_sets WHERE id = ?", arguments: [id])
                try db.execute(sql: "UPDATE sqlite_sequence SET seq = (SELECT coalesce(max(id), 0) FROM change_sets) WHERE name = 'change_sets'")
            }
        }
    }

    /// Closes the change set, sealing it with its digest (see `ChangeSetDigest`).
    static func close(_ id: Int64, _ db: Database) throws {
        let digest = try ChangeSetDigest.compute(id, previous: try ChangeSetDigest.head(before: id, db), db)
        try db.execute(sql: "UPDATE change_sets SET open = 0, digest = ? WHERE id = ?", arguments: [digest, id])
    }
}
