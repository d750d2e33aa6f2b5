import CSQLiteSetup
import GRDB
import Synchronization

/// SQLite's per-connection switch for triggers (SQLITE_DBCONFIG_ENABLE_TRIGGER). A bulk write
/// turns its own connection's triggers off for the statements whose triggers would do nothing
/// it does not do itself, set-wise: inserting the rows of cases it creates, and removing the
/// rows the change set it undoes inserted (it files their versions first, with the statement
/// the history triggers are generated from). Every trigger stays in the schema and fires for
/// every other connection — the sqlite3 shell included — and for every other statement of
/// this one; the switch is turned back on before the bulk write ends, however it ends.
///
/// Foreign keys and their cascades are not triggers and keep working while it is off.
enum ConnectionTriggers {
    /// Whether a bulk write may turn the triggers off. Tests turn it off to prove that a write
    /// with the switch writes exactly what the triggers write.
    static let mayTurnOff = Atomic<Bool>(true)

    /// Turns the connection's triggers on or off; the change makes SQLite prepare the
    /// connection's statements again on their next step (so turning often costs).
    static func set(_ on: Bool, _ db: Database) throws {
        guard on || mayTurnOff.load(ordering: .relaxed) else { return }
        guard casetrack_sqlite_enable_triggers(db.sqliteConnection, on ? 1 : 0) == (on ? 1 : 0) else {
            throw CaseTrackError.storage("SQLite refused to turn the connection's triggers \(on ? "on" : "off")")
        }
    }

    /// Whether the connection's triggers are on.
    static func areOn(_ db: Database) -> Bool {
        casetrack_sqlite_enable_triggers(db.sqliteConnection, -1) == 1
    }

    /// Runs `body` with the connection's triggers off, and turns them on again after it,
    /// whether it returns or throws. Returns nil, without running `body`, when the triggers
    /// may not be turned off: the caller then writes with them.
    @discardableResult
    static func off<T>(_ db: Database, _ body: () throws -> T) throws -> T? {
        guard mayTurnOff.load(ordering: .relaxed) else { return nil }
        try set(false, db)
        defer { try? set(true, db) }
        return try body()
    }
}
