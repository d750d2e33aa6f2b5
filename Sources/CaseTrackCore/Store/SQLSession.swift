import GRDB

/// What the store's rules need from a connection inside a transaction, so that one rule serves
/// both registers: an SQLite file (GRDB's `Database`) and a PostgreSQL server (`ServerSession`).
///
/// Statements use `?` placeholders and SQL both databases read alike; where they differ, a rule
/// asks `isServer`. Rows come back as GRDB rows, so that records decode the same way from both.
protocol SQLSession {
    /// True on a PostgreSQL register.
    var isServer: Bool { get }
    /// True inside a write: reads of a record about to change lock it on the server, so that
    /// two bureaus editing one case queue instead of overwriting each other.
    var isWriting: Bool { get }
    func rows(_ sql: String, _ arguments: [DatabaseValue]) throws -> [Row]
    func execute(_ sql: String, _ arguments: [DatabaseValue]) throws
    /// Runs an INSERT, UPDATE or DELETE and returns how many rows it changed.
    func executeCounting(_ sql: String, _ arguments: [DatabaseValue]) throws -> Int
}

extension SQLSession {
    func row(_ sql: String, _ arguments: [DatabaseValue] = []) throws -> Row? {
        try rows(sql, arguments).first
    }

    func value<T: DatabaseValueConvertible>(_ type: T.Type, _ sql: String, _ arguments: [DatabaseValue] = []) throws -> T? {
        guard let row = try row(sql, arguments), let value = row.first?.1 else { return nil }
        return T.fromDatabaseValue(value)
    }

    func values<T: DatabaseValueConvertible>(_ type: T.Type, _ sql: String, _ arguments: [DatabaseValue] = []) throws -> [T] {
        try rows(sql, arguments).compactMap { row in row.first.flatMap { T.fromDatabaseValue($0.1) } }
    }

    /// ` FOR UPDATE` where a write must hold the rows it read until it commits.
    var lockForWrite: String { isServer && isWriting ? " FOR UPDATE" : "" }
}

extension Database: SQLSession {
    var isServer: Bool { false }
    // SQLite writers hold the whole file: no row needs locking.
    var isWriting: Bool { false }

    func rows(_ sql: String, _ arguments: [DatabaseValue]) throws -> [Row] {
        try Row.fetchAll(cachedStatement(sql: sql), arguments: .values(arguments))
    }

    func execute(_ sql: String, _ arguments: [DatabaseValue]) throws {
        try cachedStatement(sql: sql).execute(arguments: .values(arguments))
    }

    func executeCounting(_ sql: String, _ arguments: [DatabaseValue]) throws -> Int {
        try execute(sql, arguments)
        return changesCount
    }
}

extension StatementArguments {
    /// Arguments from values already converted. GRDB's initialiser for a sequence of values
    /// builds a key path for every call, which an import pays for every row it writes; the
    /// initialiser for optional values converts with a closure instead.
    static func values(_ values: [DatabaseValue]) -> StatementArguments {
        StatementArguments(values.map { $0 as (any DatabaseValueConvertible)? })
    }
}

/// Rows one at a time: an SQLite cursor, or a server's cursor read a thousand rows at a time,
/// so that a million-row change set is never held whole on either register.
final class RowStream {
    private var cursor: RowCursor?
    private var server: (any SQLSession)?
    private var name = ""
    private var page: [Row] = []
    private var done = false
    /// Cursor names in use within this process's server transactions.
    nonisolated(unsafe) private static var opened = 0

    init(_ db: some SQLSession, _ sql: String, _ arguments: [DatabaseValue]) throws {
        if let db = db as? Database {
            cursor = try Row.fetchCursor(db.cachedStatement(sql: sql), arguments: .values(arguments))
        } else {
            // A server cursor lives until its transaction ends (every read and write is one).
            Self.opened += 1
            name = "casetrack_stream_\(Self.opened)"
            try db.execute("DECLARE \(name) NO SCROLL CURSOR FOR " + sql, arguments)
            server = db
        }
    }

    func next() throws -> Row? {
        if let cursor { return try cursor.next() }
        guard let server else { return nil }
        if page.isEmpty && !done {
            page = try server.rows("FETCH 1000 FROM \(name)", []).reversed()
            done = page.count < 1000
        }
        return page.popLast()
    }
}
