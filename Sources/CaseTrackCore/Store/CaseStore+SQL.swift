import Foundation
import GRDB

extension CaseStore {
    /// Runs the user's SQL on a second connection that SQLite opens read-only, in a read-only
    /// transaction (`PRAGMA query_only`), and returns one table per statement that yields
    /// columns. Before a statement runs it must be one SQLite calls read-only, and be neither
    /// ATTACH, DETACH, VACUUM nor a PRAGMA that sets anything; so nothing, not even the
    /// connection, can be changed, and the database file stays byte for byte as it was.
    public func runReadOnlySQL(_ sql: String) throws -> [Table] {
        if let server { return try ReadOnlySQL.run(sql, on: server) }
        guard path != ":memory:" else { throw CaseTrackError.input("casetrack sql needs a database file") }
        var configuration = Self.configuration(wal: false, readonly: true)
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA query_only = ON") }
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
        } catch {
            throw CaseTrackError.storage("cannot open the database \(path) for reading: \(Self.describe(error))")
        }
        defer { try? queue.close() }
        var tables: [Table] = []
        do {
            try queue.read { db in
                let statements = try db.allStatements(sql: sql)
                while let statement = try statements.next() {
                    try ReadOnlySQL.allow(statement)
                    let columns = statement.columnNames
                    var rows: [[Cell]] = []
                    let cursor = try Row.fetchCursor(statement)
                    while let row = try cursor.next() {
                        rows.append(row.databaseValues.map(ReadOnlySQL.cell))
                    }
                    if !columns.isEmpty { tables.append(Table(columns: columns, rows: rows)) }
                }
            }
        } catch let error as CaseTrackError {
            throw error
        } catch let error as DatabaseError {
            throw ReadOnlySQL.explain(error)
        }
        if tables.isEmpty && sql.trimmingWhitespace.isEmpty {
            throw CaseTrackError.input("no SQL to run: give a statement such as \"SELECT * FROM cases_v LIMIT 5\"")
        }
        return tables
    }
}

/// The rules of `casetrack sql` beyond SQLite's read-only connection, and its messages.
enum ReadOnlySQL {
    /// On a server: each statement in one read-only transaction (so the server refuses any
    /// write, even one made by a function), and only statements that read: SELECT, WITH,
    /// VALUES, TABLE, SHOW and EXPLAIN — never COPY, DO, SET or a call of the server's
    /// administration functions, which act outside the query.
    static func run(_ sql: String, on server: ServerSession) throws -> [Table] {
        let statements = ServerSession.statements(sql)
        guard !statements.isEmpty else {
            throw CaseTrackError.input("no SQL to run: give a statement such as \"SELECT * FROM cases_v LIMIT 5\"")
        }
        for statement in statements {
            let keyword = leadingWords(statement).first?.lowercased() ?? ""
            guard ["select", "with", "values", "table", "show", "explain"].contains(keyword) else {
                throw CaseTrackError.input(
                    "refused: \(statement.preview): casetrack sql only reads (SELECT, WITH, VALUES, TABLE, SHOW or EXPLAIN; change the register with casetrack's own commands)")
            }
            // A quoted identifier names the same function ("pg_sleep"(1)); a Unicode-escaped one
            // (U&"…") could spell any name, and is refused whole.
            if statement.firstMatch(of: /(?i)\bU&"/) != nil {
                throw CaseTrackError.input("refused: \(statement.preview): Unicode-escaped identifiers (U&\"…\") are refused by casetrack sql")
            }
            let unquoted = statement.replacing(/"([A-Za-z_][A-Za-z0-9_$]*)"/) { String($0.1) }
            if let call = unquoted.firstMatch(of: serverAdministration) {
                throw CaseTrackError.input(
                    "refused: \(statement.preview): \(call.1) acts outside the query (casetrack sql only reads the register)")
            }
        }
        return try ServerTransaction.read(server) { _ in
            try statements.compactMap { statement in
                let result: (columns: [String], rows: [[DatabaseValue]])
                do {
                    result = try server.table(statement)
                } catch let error as ServerError where error.sqlState == "25006" {
                    throw CaseTrackError.input("refused: casetrack sql only reads (\(error.message))")
                } catch let error as ServerError where error.sqlState?.hasPrefix("42") == true && error.sqlState != "42501" {
                    throw CaseTrackError.input("SQL error: \(error.message)")
                }
                return result.columns.isEmpty ? nil : Table(columns: result.columns, rows: result.rows.map { $0.map(cell) })
            }
        }
    }

    /// The server's functions that signal, sleep, lock, read or write files, or change settings.
    /// A list can only be a second line of defence: the first is the role's own rights, the
    /// same a user of that role has in psql.
    static var serverAdministration: Regex<(Substring, Substring)> { /(?i)\b(pg_terminate_backend|pg_cancel_backend|pg_reload_conf|pg_rotate_logfile\w*|pg_read_file|pg_read_binary_file|pg_ls_\w+|pg_stat_file|lo_import|lo_export|lo_\w+|pg_file_\w+|set_config|pg_advisory\w*|pg_try_advisory\w*|pg_sleep\w*|dblink\w*|pg_promote|pg_switch_wal|pg_create_\w+|pg_drop_replication_slot|pg_logical_\w+|pg_notify|pg_backup_\w+|pg_wal_replay_\w+|pg_log_backend_memory_contexts|pg_import_system_collations|pg_stat_reset\w*|pg_reload_\w+)\s*\(/ }

    /// Pragmas that only describe the database, allowed with a table or index as argument.
    static let describingPragmas: Set<String> = [
        "table_info", "table_xinfo", "table_list", "index_list", "index_info", "index_xinfo", "foreign_key_list",
        "database_list", "collation_list", "function_list", "module_list", "pragma_list", "compile_options",
        "integrity_check", "quick_check", "foreign_key_check", "page_count", "page_size", "freelist_count",
        "encoding", "user_version", "schema_version", "application_id", "data_version",
    ]

    static func allow(_ statement: GRDB.Statement) throws {
        let words = leadingWords(statement.sql)
        let keyword = words.first?.lowercased() ?? ""
        if ["attach", "detach"].contains(keyword) {
            throw refused(statement, "ATTACH and DETACH are refused (casetrack sql reads this register only)")
        }
        if keyword == "vacuum" { throw refused(statement, "VACUUM writes a database") }
        if keyword == "pragma" {
            var name = words.dropFirst().first?.lowercased() ?? ""
            if let dot = name.lastIndex(of: ".") { name = String(name[name.index(after: dot)...]) }
            let sets = statement.sql.contains("=")
            if sets || !describingPragmas.contains(name) {
                throw refused(statement, "only pragmas that describe the database (such as table_info, index_list, foreign_key_list) are allowed, none that sets anything")
            }
        }
        if !statement.isReadonly {
            throw refused(statement, "it would change the database; casetrack sql only reads (change the register with casetrack's own commands)")
        }
    }

    static func refused(_ statement: GRDB.Statement, _ why: String) -> CaseTrackError {
        CaseTrackError.input("refused: \(statement.sql.preview): \(why)")
    }

    /// The first words of a statement, comments skipped.
    static func leadingWords(_ sql: String) -> [String] {
        var text = Substring(sql)
        while true {
            text = text.drop { $0.isWhitespace }
            if text.hasPrefix("--") {
                text = text.drop { $0 != "\n" }
            } else if text.hasPrefix("/*") {
                guard let end = text.range(of: "*/") else { return [] }
                text = text[end.upperBound...]
            } else {
                break
            }
        }
        return text.split(maxSplits: 3, whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "_" || $0 == ".") })
            .prefix(2).map(String.init)
    }

    static func cell(_ value: DatabaseValue) -> Cell {
        switch value.storage {
        case .null: return .null
        case let .int64(number): return .number(Int(number))
        case let .double(number): return .text(String(number))
        case let .string(text): return .text(text)
        case let .blob(data): return .text("x'" + data.map { String(format: "%02x", $0) }.joined() + "'")
        }
    }

    static func explain(_ error: DatabaseError) -> CaseTrackError {
        let message = error.message ?? "\(error)"
        switch error.resultCode {
        case .SQLITE_READONLY:
            return .input("refused: casetrack sql only reads (\(message))")
        case .SQLITE_AUTH:
            return .input("refused: \(message)")
        case _ where message == "not authorized":
            return .input("refused: not authorized (casetrack sql loads no extensions and calls no function that acts outside the query)")
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return .storage(CaseStore.describe(error))
        default:
            return .input("SQL error: \(message)")
        }
    }
}
