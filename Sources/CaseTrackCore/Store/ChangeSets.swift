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
        var words = CommandLine.arguments
        if let first = words.first { words[0] = (first as NSString).lastPathComponent }
        return Actor(user: user, command: words.map(shellQuoted).joined(separator: " "))
    }

    static func shellQuoted(_ word: String) -> String {
        let plain = !word.isEmpty && word.unicodeScalars.allSatisfy {
            !CharacterSet.whitespacesAndNewlines.contains($0) && !"'\"\\$`!*?;&|<>(){}[]#~".unicodeScalars.contains($0)
        }
        return plain ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

/// Change sets group the audit rows of one command run. casetrack opens one at the start of
/// every write transaction and closes it before committing; the audit triggers in schema.sql
/// file every change under the newest open change set.
enum ChangeSets {
    /// Opens this command's change set, closing any left open by writes from outside casetrack.
    static func open(_ db: Database, actor: Actor, undoes: Int64? = nil) throws -> Int64 {
        try db.execute(sql: "UPDATE change_sets SET open = 0 WHERE open = 1")
        try db.execute(
            sql: "INSERT INTO change_sets (user, command, undoes) VALUES (?, ?, ?)",
            arguments: [actor.user, actor.command, undoes])
        return db.lastInsertedRowID
    }

    /// True when the transaction that opened change set `id` changed anything: its audit rows
    /// are filed under `id` or a later change set (an undo opens its own).
    static func changedAnything(_ id: Int64, _ db: Database) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM audit WHERE change_set >= ?)", arguments: [id]) ?? false
    }

    /// Closes the change set, or drops it when the command changed nothing.
    static func close(_ id: Int64, _ db: Database) throws {
        let changed = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM audit WHERE change_set = ?)", arguments: [id]) ?? false
        if changed {
            try db.execute(sql: "UPDATE change_sets SET open = 0 WHERE id = ?", arguments: [id])
        } else {
            try db.execute(sql: "DELETE FROM change_sets WHERE id = ?", arguments: [id])
        }
    }
}
