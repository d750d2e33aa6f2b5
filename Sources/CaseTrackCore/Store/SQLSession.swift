import GRDB
import GRDBSQLite

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
        let statement = try cachedStatement(sql: sql)
        if isInsideTransaction && !statement.isReadonly {
            try statement.executeBound(arguments)
        } else {
            try statement.execute(arguments: .values(arguments))
        }
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

extension GRDB.Statement {
    /// Binds `values` and runs the statement with SQLite's own calls. An import runs a dozen
    /// writes per case, and GRDB's general path (arguments validated into a new array, strings
    /// bound through nested closures, observation hooks) cost more than SQLite's insert itself.
    /// Only for writes inside a transaction (`SQLSession.execute` decides): no transaction
    /// starts or ends here, so GRDB's transaction bookkeeping has nothing to miss; GRDB resets
    /// and rebinds the statement whenever it runs it itself.
    func executeBound(_ values: [DatabaseValue]) throws {
        let handle = sqliteStatement
        defer {
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
        }
        try bind(values)
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { return }
            if code != SQLITE_ROW { throw failure(code) }
        }
    }

    /// Binds `values`, runs the query, and returns the first column of its first row as an
    /// integer (nil for no row or NULL), as `executeBound` runs a write: for the lookups an
    /// import makes for every case.
    func firstInteger(_ values: [DatabaseValue]) throws -> Int64? {
        let handle = sqliteStatement
        defer {
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
        }
        try bind(values)
        switch sqlite3_step(handle) {
        case SQLITE_DONE: return nil
        case SQLITE_ROW: return sqlite3_column_type(handle, 0) == SQLITE_NULL ? nil : sqlite3_column_int64(handle, 0)
        case let code: throw failure(code)
        }
    }

    private func bind(_ values: [DatabaseValue]) throws {
        let handle = sqliteStatement
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        guard values.count == Int(sqlite3_bind_parameter_count(handle)) else {
            throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "wrong number of statement arguments: \(values.count)", sql: sql)
        }
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let code: Int32
            switch value.storage {
            case .null: code = sqlite3_bind_null(handle, index)
            case let .int64(number): code = sqlite3_bind_int64(handle, index, number)
            case let .double(number): code = sqlite3_bind_double(handle, index, number)
            case let .string(text) where text.isEmpty:
                // A null pointer would bind NULL, not empty text.
                code = sqlite3_bind_text(handle, index, "", 0, Self.transient)
            case let .string(text):
                var text = text
                code = text.withUTF8 { bytes in
                    bytes.withMemoryRebound(to: CChar.self) {
                        sqlite3_bind_text(handle, index, $0.baseAddress, Int32($0.count), Self.transient)
                    }
                }
            case let .blob(data):
                code = data.withUnsafeBytes { sqlite3_bind_blob(handle, index, $0.baseAddress, Int32($0.count), Self.transient) }
            }
            guard code == SQLITE_OK else { throw failure(code) }
        }
    }

    /// SQLite copies the bound bytes before the call returns.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    /// SQLite's error for a step that returned `code`, as GRDB reports its own.
    func failure(_ code: Int32) -> DatabaseError {
        let connection = sqlite3_db_handle(sqliteStatement)
        return DatabaseError(
            resultCode: ResultCode(rawValue: sqlite3_extended_errcode(connection)),
            message: String(cString: sqlite3_errmsg(connection)), sql: sql)
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
