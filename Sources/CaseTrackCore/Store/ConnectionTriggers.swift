import CSQLiteSetup
import GRDB
import Synchronization

/// SQLite's per-connection switch for triggers (SQLITE_DBCONFIG_ENABLE_TRIGGER). A bulk write
/// turns its own connection's triggers off for the statements whose triggers would do nothing
/// it does not do itself, set-wise: inserting the rows of cases it creates, removing the rows
/// the change set it undoes inserted (it files their versions first, with the statement the
/// history triggers are generated from), and putting back the rows that change set removed.
/// Every trigger stays in the schema and fires for
/// every other connection — the sqlite3 shell included — and for every other statement of
/// this one; the switch is turned back on before the bulk write ends, however it ends.
///
/// Foreign keys and their cascades are not triggers and keep working while it is off.
enum ConnectionTriggers {
    /// Connections whose triggers stay on: tests write the same with and without the switch, to
    /// prove that it writes exactly what the triggers write.
    private static let keptOn = Mutex<Set<ObjectIdentifier>>([])

    /// Keeps `db`'s triggers on (or lets a bulk write turn them off again).
    static func keepOn(_ db: Database, _ kept: Bool = true) {
        keptOn.withLock { connections in
            if kept { connections.insert(ObjectIdentifier(db)) } else { connections.remove(ObjectIdentifier(db)) }
        }
    }

    private static func mayTurnOff(_ db: Database) -> Bool {
        !keptOn.withLock { $0.contains(ObjectIdentifier(db)) }
    }

    /// Turns the connection's triggers on or off; the change makes SQLite prepare the
    /// connection's statements again on their next step (so turning often costs).
    static func set(_ on: Bool, _ db: Database) throws {
        guard on || mayTurnOff(db) else { return }
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
        guard mayTurnOff(db) else { return nil }
        try set(false, db)
        defer { try? set(true, db) }
        return try body()
    }
}
