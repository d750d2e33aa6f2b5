import Foundation
import GRDB

/// The one door to the database: it opens and migrates the file, and owns every read and write.
///
/// Each write is one immediate transaction, so several casetrack processes writing the same
/// file queue behind SQLite's busy timeout instead of failing.
public final class CaseStore: Sendable {
    /// How long a writer waits for another process's transaction before giving up.
    public static let busyTimeout: TimeInterval = 30

    private let file: DatabaseQueue?
    /// The connection to a PostgreSQL register, when `path` names one.
    let server: ServerSession?
    /// The database file, ":memory:", or a server's address (without its password).
    public let path: String
    /// Who the audit trail names for this store's changes.
    public let actor: Actor

    /// How a command opens the database.
    public enum OpenMode: Sendable {
        /// Commands that only read: a missing database is an error, and the file is opened
        /// read-only (unless its schema must first be upgraded), so that nothing — not even a
        /// checkpoint of a write-ahead log left by another program — changes its bytes.
        case reading
        /// Commands that change an existing database: a missing one is an error, nothing is created.
        case existing
        /// Writing commands: a missing database (and its folder) is created.
        case creating
    }

    /// True when this open created the database file.
    public let created: Bool

    /// The schema version (the newest migration it had) of an older file this open upgraded in
    /// place; nil when the file was current or new.
    public let upgradedFrom: String?

    /// Opens the database at `path` and brings its schema up to date; with `.creating`, a
    /// missing database is created first.
    public init(path: String, mode: OpenMode = .creating, actor: Actor = .current) throws {
        self.actor = actor
        if ServerAddress.isServer(path) {
            let address = try ServerAddress(path)
            self.path = address.description
            let session = try ServerSession(address)
            server = session
            file = nil
            created = try ServerSchema.prepare(session, mode: mode)
            upgradedFrom = nil
            return
        }
        self.path = path
        server = nil
        let exists = DatabaseLocation.exists(path)
        if exists, DatabaseLocation.isRegularFile(path), access(path, R_OK) != 0 {
            throw CaseTrackError.storage("cannot read \(path): permission denied")
        }
        if exists, let kind = DatabaseLocation.notAFileKind(path) {
            throw CaseTrackError.notACaseTrackDatabase(path: path, reason: "it is \(kind), not a file")
        }
        if mode != .creating && (!exists || DatabaseLocation.isRegularFile(path) && !DatabaseLocation.existsWithContent(path)) {
            throw CaseTrackError.noDatabase(path: path)
        }
        try DatabaseLocation.prepare(path: path)
        if exists, DatabaseLocation.isRegularFile(path), !DatabaseLocation.existsWithContent(path) {
            // An empty file given as the database becomes one: private like every new database.
            chmod(path, 0o600)
        }
        created = !exists || !DatabaseLocation.existsWithContent(path)
        if DatabaseLocation.existsWithContent(path) && !DatabaseLocation.hasSQLiteHeader(path) {
            throw CaseTrackError.notACaseTrackDatabase(path: path, reason: "it is not an SQLite file")
        }
        do {
            // Read-only only when another program left a write-ahead log behind: a writable
            // connection would checkpoint it into the file on closing. Without one, a writable
            // connection leaves no trace, while a read-only one would leave an empty log file.
            // So is a file this user cannot write, or whose folder it cannot write (where SQLite
            // would create its -wal and -shm companions): reading needs no more.
            let folder = FilePath.folder(of: path).isEmpty ? "." : FilePath.folder(of: path)
            let cannotWrite = access(path, W_OK) != 0 || access(folder, W_OK) != 0
            if mode == .reading, DatabaseLocation.existsWithContent(path + "-wal") || cannotWrite,
                let reader = try Self.openReadOnly(path, folderIsReadOnly: access(folder, W_OK) != 0)
            {
                file = reader
                upgradedFrom = nil
                return
            }
            file = try DatabaseQueue(path: path, configuration: Self.configuration(wal: true, verifying: path))
        } catch let error as CaseTrackError {
            throw error
        } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB {
            throw CaseTrackError.notACaseTrackDatabase(path: path, reason: Self.describe(error))
        } catch {
            throw CaseTrackError.storage("cannot open the database \(path): \(Self.describe(error))")
        }
        upgradedFrom = try Self.migrate(file, path: path)
    }

    /// A read-only connection when the file is a casetrack database of the current schema;
    /// nil when it needs an upgrade (which takes a writable one).
    private static func openReadOnly(_ path: String, folderIsReadOnly: Bool) throws -> DatabaseQueue? {
        // In a folder nobody here can write, SQLite cannot create the shared-memory file a WAL
        // database needs: the file is read as immutable, which it is, since no writer could
        // change it there either.
        var location = path
        if folderIsReadOnly, !DatabaseLocation.exists(path + "-wal") {
            let escaped = path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? path
            location = "file:\(escaped)?immutable=1"
        }
        let reader = try DatabaseQueue(path: location, configuration: configuration(wal: true, readonly: true, verifying: path))
        if try reader.read({ try migrator.hasCompletedMigrations($0) }) { return reader }
        try reader.close()
        return nil
    }

    private init(inMemory actor: Actor) throws {
        path = ":memory:"
        created = true
        self.actor = actor
        server = nil
        file = try DatabaseQueue(configuration: Self.configuration(wal: false))
        upgradedFrom = try Self.migrate(file, path: path)
    }

    /// An empty, migrated database that lives in memory (for tests).
    public static func inMemory(actor: Actor = Actor(user: "test", command: "casetrack test")) throws -> CaseStore {
        try CaseStore(inMemory: actor)
    }

    /// The register at a server address when it exists, else an empty one in memory (the
    /// vocabularies casetrack starts with): what a preview or a vocabulary listing reads, as
    /// for a file that does not exist yet, creating nothing.
    public static func existingOrInMemory(_ path: String, mode: OpenMode) throws -> CaseStore {
        do {
            return try CaseStore(path: path, mode: mode)
        } catch CaseTrackError.noDatabase {
            return try inMemory()
        }
    }

    /// Removes the register this store created on a server when the command that created it
    /// failed, so that a refused first command leaves the database as it found it (empty).
    public func removeCreatedRegister() throws {
        guard let server, created else { return }
        try ServerSchema.remove(server)
    }

    /// - Parameter verifying: the path of a file that must prove to be a casetrack database (of
    ///   this version or older) before anything, even the switch to WAL, touches it.
    static func configuration(wal: Bool, readonly: Bool = false, verifying path: String? = nil) -> Configuration {
        SQLiteSetup.beforeFirstConnection()
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(busyTimeout)
        config.readonly = readonly
        // WAL is switched on here rather than with GRDB's `journalMode = .wal`, which also lowers
        // `synchronous` to NORMAL (a power cut could lose the last commits) and writes to the file
        // on every open (a table created and dropped), so that even a refused command would
        // change the database's bytes.
        let switchToWAL = wal && !readonly
        config.prepareDatabase { db in
            if let path { try verifyOwnership(db, path: path) }
            if switchToWAL, try String.fetchOne(db, sql: "PRAGMA journal_mode") != "wal" {
                guard try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL") == "wal" else {
                    throw CaseTrackError.storage("cannot switch the database to WAL mode")
                }
            }
            // Removed case text must not linger in free pages of a file holding sensitive data.
            try db.execute(sql: "PRAGMA secure_delete = ON")

        }
        return config
    }

    // MARK: - Schema

    /// Refuses a file that is not a casetrack database, or one written by a newer casetrack.
    private static func verifyOwnership(_ db: Database, path: String) throws {
        let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
        // An SQLite file with no tables may still be another application's (it set its version).
        if tables.isEmpty {
            let version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
            let application = try Int.fetchOne(db, sql: "PRAGMA application_id") ?? 0
            if version != 0 || application != 0 {
                throw CaseTrackError.notACaseTrackDatabase(
                    path: path, reason: "it is another application's SQLite file (user_version \(version), application_id \(application))")
            }
        }
        if !tables.isEmpty && !tables.contains("grdb_migrations") {
            throw CaseTrackError.notACaseTrackDatabase(
                path: path, reason: "it holds other tables: \(tables.prefix(5).joined(separator: ", "))")
        }
        if tables.contains("grdb_migrations") {
            let known = Set(migrator.migrations)
            let applied = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")
            let unknown = applied.filter { !known.contains($0) }
            if !unknown.isEmpty { throw CaseTrackError.newerDatabase(path: path, unknownMigrations: unknown) }
        }
    }

    /// Brings the schema up to date; returns the version an existing file had when it was older.
    private static func migrate(_ file: DatabaseQueue?, path: String) throws -> String? {
        guard let file else { return nil }
        do {
            // Most opens find the schema current: a read answers that without taking the write lock.
            if try file.read({ try migrator.hasCompletedMigrations($0) }) { return nil }
            let before = try file.read { try migrator.appliedIdentifiers($0) }
            try migrator.migrate(file)
            return migrator.migrations.last { before.contains($0) }
        } catch {
            throw CaseTrackError.storage("cannot prepare the database \(path): \(Self.describe(error))")
        }
    }

    // MARK: - Access

    /// The SQLite file's connection; on a PostgreSQL register, the error that says the command
    /// needs a file.
    var dbQueue: DatabaseQueue {
        get throws {
            guard let file else { throw CaseTrackError.notOnServer(path) }
            return file
        }
    }

    /// True when this store is a PostgreSQL register.
    public var isServer: Bool { server != nil }

    /// Runs `body` in one write transaction, as one change set, on either kind of register.
    func writeSession<T>(_ body: (any SQLSession) throws -> T) throws -> T {
        guard let server else { return try write { db in try body(db) } }
        return try ServerTransaction.write(server, actor: actor, body)
    }

    /// Runs `body` as a write that is rolled back: what a dry run would change, changing nothing.
    func previewSession(_ body: (any SQLSession) throws -> Void) throws {
        guard let server else {
            try useMemoryForStatementJournals()
            do {
                try dbQueue.inTransaction(.immediate) { db in
                    _ = try ChangeSets.open(db, actor: actor)
                    try body(db)
                    return .rollback
                }
            } catch let error as DatabaseError {
                throw CaseTrackError.storage(Self.describe(error))
            }
            return
        }
        try ServerTransaction.preview(server, actor: actor, body)
    }

    /// Runs `body` in one read transaction on either kind of register.
    func readSession<T>(_ body: (any SQLSession) throws -> T) throws -> T {
        guard let server else { return try read { db in try body(db) } }
        return try ServerTransaction.read(server, body)
    }

    /// Runs `body` in one immediate write transaction, as one change set of the audit trail,
    /// translating SQLite errors into messages.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            try useMemoryForStatementJournals()
            var result: T?
            try dbQueue.inTransaction(.immediate) { db in
                try HistoryTriggers.requireIntact(db)
                let changeSet = try ChangeSets.open(db, actor: actor)
                result = try body(db)
                // A command that changed nothing leaves no trace: not even an id taken.
                guard try ChangeSets.changedAnything(changeSet, db) else { return .rollback }
                try ChangeSets.close(changeSet, db)
                return .commit
            }
            guard let result else { throw CaseTrackError.storage("the write returned nothing") }
            return result
        } catch let error as DatabaseError {
            throw CaseTrackError.storage(Self.describe(error))
        }
    }

    /// Every insert that fires the totals and audit triggers opens a statement journal; kept in
    /// memory they cost nothing, spilled to a temporary file they double a bulk import's time.
    /// Reads keep the default, so that a report's sort over millions of rows spills to disk
    /// instead of growing the process.
    func useMemoryForStatementJournals() throws {
        guard server == nil else { return }
        try dbQueue.writeWithoutTransaction { try $0.execute(sql: "PRAGMA temp_store = MEMORY") }
    }

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try dbQueue.read(body)
        } catch let error as DatabaseError {
            throw CaseTrackError.storage(Self.describe(error))
        }
    }

    static func describe(_ error: Error) -> String {
        if let error = error as? DatabaseError {
            switch error.resultCode {
            case .SQLITE_BUSY, .SQLITE_LOCKED:
                return "the database is busy: another program (casetrack or the sqlite3 shell) kept it locked for over \(Int(busyTimeout)) s; try again"
            case .SQLITE_NOTADB:
                return "the file is not a database"
            case .SQLITE_CONSTRAINT:
                return "the database refused the change (\(error.message ?? "constraint failed"))"
            case .SQLITE_READONLY, .SQLITE_CANTOPEN, .SQLITE_PERM:
                return "cannot write the database file (\(error.message ?? "permission denied"))"
            case .SQLITE_FULL:
                return "the disk is full"
            case .SQLITE_IOERR:
                return "the database file could not be read or written (the disk may be full or failing, or a file-size limit such as `ulimit -f` was reached)"
            default:
                return error.message ?? "\(error)"
            }
        }
        return "\(error)"
    }

    /// The whole content of the database as text, for comparing states in tests.
    public func dumpContent() throws -> String {
        try readSession { db in
            var text = ""
            for table in ["cities", "city_aliases", "categories", "category_aliases", "link_types",
                "link_type_aliases", "cases", "arrests", "gangs", "links", "case_totals", "report_totals", "change_sets", "history"]
            {
                text += "## \(table)\n"
                let order = table == "case_totals" ? "1, 2, 3" : table == "report_totals" ? "1, 2, 3, 4" : "1"
                for row in try db.rows("SELECT * FROM \(table) ORDER BY \(order)", []) {
                    // Columns by name: a server's rows carry them in no fixed order.
                    text += Set(row.columnNames).sorted().map { "\($0)=\(row[$0] as DatabaseValue)" }.joined(separator: " ") + "\n"
                }
            }
            return text
        }
    }
}
