import Foundation
import GRDB
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO

/// One connection to a PostgreSQL register, used synchronously as casetrack's commands are.
///
/// Statements are written with `?` placeholders (as for SQLite) and numbered here; values travel
/// as GRDB `DatabaseValue`s both ways, so that the store's rules read both databases alike.
final class ServerSession: SQLSession, @unchecked Sendable {
    let address: ServerAddress
    private let connection: PostgresConnection
    private let logger: Logger
    var isWriting = false
    var isServer: Bool { true }

    init(_ address: ServerAddress) throws {
        self.address = address
        var logger = Logger(label: "casetrack.server")
        logger.logLevel = .critical
        self.logger = logger
        let configuration: PostgresConnection.Configuration
        if let folder = address.socketFolder {
            configuration = .init(
                unixSocketPath: "\(folder)/.s.PGSQL.\(address.port)", username: address.user, password: address.password,
                database: address.database)
        } else {
            configuration = .init(
                host: address.host, port: address.port, username: address.user, password: address.password,
                database: address.database, tls: try Self.tls(address.sslMode))
        }
        do {
            connection = try PostgresConnection.connect(
                on: MultiThreadedEventLoopGroup.singleton.next(), configuration: configuration, id: 1, logger: logger
            ).wait()
        } catch {
            throw CaseTrackError.storage("cannot connect to \(address.description): \(Self.describe(error))")
        }
    }

    private static func tls(_ mode: ServerAddress.SSLMode) throws -> PostgresConnection.Configuration.TLS {
        switch mode {
        case .disable:
            return .disable
        case .allow, .prefer, .require:
            // libpq's prefer and require encrypt without checking the server's certificate.
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.certificateVerification = .none
            let context = try NIOSSLContext(configuration: tls)
            return mode == .require ? .require(context) : .prefer(context)
        case .verifyCA, .verifyFull:
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.certificateVerification = mode == .verifyFull ? .fullVerification : .noHostnameVerification
            return .require(try NIOSSLContext(configuration: tls))
        }
    }

    deinit {
        try? connection.close().wait()
    }

    // MARK: - Statements

    func rows(_ sql: String, _ arguments: [DatabaseValue]) throws -> [Row] {
        try rows(of: query(sql, arguments))
    }

    func execute(_ sql: String, _ arguments: [DatabaseValue]) throws {
        _ = try query(sql, arguments)
    }

    func executeCounting(_ sql: String, _ arguments: [DatabaseValue]) throws -> Int {
        try query(sql, arguments).metadata.rows ?? 0
    }

    private func query(_ sql: String, _ arguments: [DatabaseValue]) throws -> PostgresQueryResult {
        do {
            return try connection.query(Self.numbered(sql), arguments.map(Self.bind)).wait()
        } catch {
            throw ServerError(error)
        }
    }

    private func rows(of result: PostgresQueryResult) throws -> [Row] {
        try result.rows.map { row in
            var values: [String: DatabaseValue] = [:]
            for cell in row {
                values[cell.columnName] = try Self.value(of: cell)
            }
            return Row(values)
        }
    }

    /// Sends rows to `table` with `COPY … FROM STDIN` (text format), in one round trip per
    /// megabyte rather than one per row. The caller's transaction holds them like any insert.
    func copy(into table: String, columns: [String], rows: [[DatabaseValue]]) throws {
        guard !rows.isEmpty else { return }
        var text = ""
        var chunks: [String] = []
        for row in rows {
            text += row.map(Self.copyText).joined(separator: "\t") + "\n"
            if text.utf8.count > 1 << 20 {
                chunks.append(text)
                text = ""
            }
        }
        if !text.isEmpty { chunks.append(text) }
        let outcome = CopyOutcome()
        let semaphore = DispatchSemaphore(value: 0)
        let (connection, logger) = (self.connection, self.logger)
        let send = chunks
        Task {
            do {
                try await connection.copyFrom(table: table, columns: columns, logger: logger) { writer in
                    for chunk in send { try await writer.write(ByteBuffer(string: chunk)) }
                }
            } catch {
                outcome.error = error
            }
            semaphore.signal()
        }
        semaphore.wait()
        if let error = outcome.error { throw ServerError(error) }
    }

    /// A value in COPY's text format: \N for NULL, the four characters it gives meaning escaped.
    private static func copyText(_ value: DatabaseValue) -> String {
        switch value.storage {
        case .null: return "\\N"
        case let .int64(number): return String(number)
        case let .double(number): return String(number)
        case let .string(text):
            var escaped = ""
            for character in text.unicodeScalars {
                switch character {
                case "\\": escaped += "\\\\"
                case "\t": escaped += "\\t"
                case "\n": escaped += "\\n"
                case "\r": escaped += "\\r"
                default: escaped.unicodeScalars.append(character)
                }
            }
            return escaped
        case let .blob(data): return "\\\\x" + data.map { String(format: "%02x", $0) }.joined()
        }
    }

    /// A statement's columns, in order and under their own names (duplicates kept), and its rows.
    func table(_ sql: String) throws -> (columns: [String], rows: [[DatabaseValue]]) {
        let result = try query(sql, [])
        var columns = result.rows.first.map { $0.map(\.columnName) } ?? []
        let rows = try result.rows.map { row in try row.map { try Self.value(of: $0) } }
        if rows.isEmpty, result.metadata.command == "SELECT" {
            // The driver names columns only through rows: an outer join on one row yields one
            // row of NULLs under the query's own column names.
            let probe = try query("SELECT * FROM (\(sql)) AS q RIGHT JOIN (SELECT 1 AS casetrack_probe) AS p ON false", [])
            columns = probe.rows.first.map { $0.map(\.columnName).filter { $0 != "casetrack_probe" } } ?? []
        }
        return (columns, rows)
    }

    /// Runs several statements (the schema), one by one: the driver sends every statement as a
    /// prepared one, which holds a single command.
    func script(_ sql: String) throws {
        for statement in Self.statements(sql) {
            try execute(statement, [])
        }
    }

    /// A script's statements: split at semicolons outside quotes, dollar-quoted bodies and comments.
    static func statements(_ sql: String) -> [String] {
        let chars = Array(sql.unicodeScalars)
        var statements: [String] = []
        var current = String.UnicodeScalarView()
        var i = 0
        func flush() {
            let text = String(current).trimmingCharacters(in: .whitespacesAndNewlines)
            if !text.isEmpty { statements.append(text) }
            current = String.UnicodeScalarView()
        }
        while i < chars.count {
            let c = chars[i]
            if c == "-", i + 1 < chars.count, chars[i + 1] == "-" {
                while i < chars.count, chars[i] != "\n" { i += 1 }
                continue
            }
            if c == "/", i + 1 < chars.count, chars[i + 1] == "*" {
                i += 2
                while i + 1 < chars.count, !(chars[i] == "*" && chars[i + 1] == "/") { i += 1 }
                i += 2
                continue
            }
            if c == "'" || c == "\"" {
                current.append(c)
                i += 1
                while i < chars.count {
                    current.append(chars[i])
                    if chars[i] == c { break }
                    i += 1
                }
                i += 1
                continue
            }
            if c == "$" {
                // $tag$ … $tag$
                var j = i + 1
                while j < chars.count, chars[j] == "_" || CharacterSet.alphanumerics.contains(chars[j]) { j += 1 }
                if j < chars.count, chars[j] == "$" {
                    let tag = Array(chars[i...j])
                    current.append(contentsOf: tag)
                    i = j + 1
                    while i < chars.count {
                        if chars[i] == "$", i + tag.count <= chars.count, Array(chars[i..<(i + tag.count)]) == tag {
                            current.append(contentsOf: tag)
                            i += tag.count
                            break
                        }
                        current.append(chars[i])
                        i += 1
                    }
                    continue
                }
            }
            if c == ";" {
                flush()
                i += 1
                continue
            }
            current.append(c)
            i += 1
        }
        flush()
        return statements
    }

    /// `?` → `$1, $2…`, outside quoted text.
    static func numbered(_ sql: String) -> String {
        var out = ""
        var n = 0
        var quote: Character?
        for ch in sql {
            if let q = quote {
                if ch == q { quote = nil }
                out.append(ch)
            } else if ch == "'" || ch == "\"" {
                quote = ch
                out.append(ch)
            } else if ch == "?" {
                n += 1
                out += "$\(n)"
            } else {
                out.append(ch)
            }
        }
        return out
    }

    private static func bind(_ value: DatabaseValue) -> PostgresData {
        switch value.storage {
        case .null: return .null
        case let .int64(n): return PostgresData(int64: n)
        case let .double(d): return PostgresData(double: d)
        case let .string(s): return PostgresData(string: s)
        case let .blob(data): return PostgresData(bytes: [UInt8](data))
        }
    }

    private static func value(of cell: PostgresCell) throws -> DatabaseValue {
        if cell.bytes == nil { return .null }
        switch cell.dataType {
        case .int2: return try Int64(cell.decode(Int16.self)).databaseValue
        case .int4: return try Int64(cell.decode(Int32.self)).databaseValue
        case .int8: return try cell.decode(Int64.self).databaseValue
        case .oid:
            // An unsigned 32-bit number, which the driver does not decode: read as it is sent.
            guard var bytes = cell.bytes else { return .null }
            if cell.format == .binary, let oid = bytes.readInteger(as: UInt32.self) { return Int64(oid).databaseValue }
            return (bytes.readString(length: bytes.readableBytes).flatMap { Int64($0) } ?? 0).databaseValue
        case .bool: return try (cell.decode(Bool.self) ? 1 : 0).databaseValue
        case .float4, .float8: return try cell.decode(Double.self).databaseValue
        case .numeric:
            // Sums of bigint columns: whole numbers, read exactly.
            let number = NSDecimalNumber(decimal: try cell.decode(Decimal.self))
            if number == number.rounding(accordingToBehavior: nil) { return number.int64Value.databaseValue }
            return number.doubleValue.databaseValue
        case .bytea: return Data(try cell.decode([UInt8].self)).databaseValue
        default: return try cell.decode(String.self).databaseValue
        }
    }

    static func describe(_ error: Error) -> String {
        ServerError(error).description
    }
}

/// A server's error in words: its own message (and detail) rather than the driver's dump.
struct ServerError: Error, CustomStringConvertible {
    var message: String
    var sqlState: String?

    init(_ error: Error) {
        if let error = error as? ServerError {
            self = error
            return
        }
        if let error = error as? PostgresError {
            switch error {
            case let .server(info):
                sqlState = info.fields[.sqlState]
                var text = info.fields[.message] ?? "the server refused the statement"
                if let detail = info.fields[.detail] { text += " (\(detail))" }
                message = text
            case let .protocol(text):
                message = "the server's reply could not be read (\(text))"
                sqlState = nil
            case .connectionClosed:
                message = "the connection to the server was closed"
                sqlState = nil
            }
            return
        }
        if let error = error as? PSQLError {
            if let info = error.serverInfo {
                sqlState = info[.sqlState]
                var text = info[.message] ?? "the server refused the statement"
                if let detail = info[.detail] { text += " (\(detail))" }
                message = text
                return
            }
            switch error.code {
            case .connectionError, .serverClosedConnection, .uncleanShutdown:
                let underlying = error.underlying.map { "\($0)" } ?? ""
                if underlying.contains("Connection refused") {
                    message = "nothing answers there (connection refused): is the server running, and are the host and port right?"
                } else if underlying.contains("No such file or directory") {
                    message = "no server socket there: is the server running, and is the socket folder right?"
                } else if underlying.contains("nodename nor servname") || underlying.contains("Name or service not known")
                    || underlying.contains("Temporary failure in name resolution") {
                    message = "the host name is not known"
                } else {
                    message = "the connection failed or was closed" + (underlying.isEmpty ? "" : " (\(underlying))")
                }
            case .authMechanismRequiresPassword:
                message = "the server asks for a password: give it in PGPASSWORD, in a ~/.pgpass line (host:port:database:user:password, readable by you only), or in the address"
            case .sslUnsupported:
                message = "the server does not offer TLS, which sslmode requires"
            default:
                message = "\(error.code)" + (error.underlying.map { " (\($0))" } ?? "")
            }
            sqlState = nil
            return
        }
        message = "\(error)"
        sqlState = nil
    }

    var description: String { message }
}

/// What a COPY run on the event loop left for the waiting caller.
private final class CopyOutcome: @unchecked Sendable {
    var error: Error?
}
