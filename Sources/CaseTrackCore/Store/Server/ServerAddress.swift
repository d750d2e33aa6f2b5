import Foundation

/// Where a shared register lives: `postgresql://USER[:PASSWORD]@HOST[:PORT]/DB[?sslmode=…]`, with
/// what the address leaves out taken from libpq's variables (PGHOST, PGPORT, PGUSER, PGPASSWORD,
/// PGDATABASE, PGSSLMODE), as psql does.
public struct ServerAddress: Sendable, Equatable {
    public enum SSLMode: String, Sendable, CaseIterable {
        case disable, allow, prefer, require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String
    public var sslMode: SSLMode
    /// A folder holding the server's Unix socket, when PGHOST names one.
    public var socketFolder: String?

    /// True when `text` names a server rather than a file.
    public static func isServer(_ text: String) -> Bool {
        text.hasPrefix("postgresql://") || text.hasPrefix("postgres://")
    }

    /// The address with its password (in the user part or as ?password=) replaced by ***.
    public static func withoutPassword(_ text: String) -> String {
        Actor.withoutPassword(text)
    }

    public init(_ text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard Self.isServer(text), let url = URLComponents(string: text) else {
            throw CaseTrackError.input("cannot read the server address '\(text)': write postgresql://USER@HOST[:PORT]/DATABASE")
        }
        func env(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        let query = Dictionary((url.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { $1 })
        for name in query.keys where !["sslmode", "host", "port", "user", "password", "dbname"].contains(name) {
            throw CaseTrackError.input("the server address has an unknown parameter '\(name)' (known: sslmode, host, port, user, password, dbname)")
        }
        let hostText = url.percentEncodedHost.flatMap { $0.isEmpty ? nil : $0.removingPercentEncoding } ?? query["host"] ?? env("PGHOST") ?? "localhost"
        if hostText.hasPrefix("/") {
            socketFolder = hostText
            host = "localhost"
        } else {
            host = hostText
        }
        if let port = url.port {
            guard (1...65535).contains(port) else { throw CaseTrackError.input("the server port '\(port)' is not a port number (1 to 65535)") }
            self.port = port
        } else if let text = query["port"] ?? env("PGPORT") {
            guard let port = Int(text), (1...65535).contains(port) else {
                throw CaseTrackError.input("the server port '\(text)' is not a port number (1 to 65535)")
            }
            self.port = port
        } else {
            port = 5432
        }
        user = url.user.flatMap { $0.isEmpty ? nil : $0 } ?? query["user"] ?? env("PGUSER") ?? ProcessInfo.processInfo.userName
        let path = String(url.path.drop(while: { $0 == "/" }))
        database = path.isEmpty ? (query["dbname"] ?? env("PGDATABASE") ?? user) : path
        password = url.password ?? query["password"] ?? env("PGPASSWORD")
            ?? Self.passwordFile(environment).flatMap { [host = socketFolder ?? host, port, database, user] file in
                Self.password(in: file, host: host, port: port, database: database, user: user)
            }
        let modeText = query["sslmode"] ?? env("PGSSLMODE") ?? "prefer"
        guard let mode = SSLMode(rawValue: modeText) else {
            throw CaseTrackError.input("unknown sslmode '\(modeText)' (known: \(SSLMode.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        sslMode = mode
    }

    /// libpq's password file: $PGPASSFILE, else ~/.pgpass, when it exists and only its owner
    /// may read it (libpq ignores a file others can read, and so does casetrack).
    static func passwordFile(_ environment: [String: String]) -> String? {
        let path = environment["PGPASSFILE"].flatMap { $0.isEmpty ? nil : $0 }
            ?? environment["HOME"].flatMap { $0.isEmpty ? nil : "\($0)/.pgpass" }
            ?? "\(NSHomeDirectory())/.pgpass"
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & 0o077 == 0 else { return nil }
        return try? String(contentsOfFile: path, encoding: .utf8)
    }

    /// The password of the first line of a password file (hostname:port:database:username:password,
    /// `*` matching anything, `\:` and `\\` escaped) that matches the address.
    static func password(in file: String, host: String, port: Int, database: String, user: String) -> String? {
        for line in file.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            var fields: [String] = []
            var field = ""
            var escaped = false
            for character in line {
                if escaped { field.append(character); escaped = false }
                else if character == "\\" { escaped = true }
                else if character == ":" && fields.count < 4 { fields.append(field); field = "" }
                else { field.append(character) }
            }
            fields.append(field)
            guard fields.count == 5 else { continue }
            let hostMatches = fields[0] == "*" || fields[0] == host || (fields[0] == "localhost" && host.hasPrefix("/"))
            if hostMatches, fields[1] == "*" || fields[1] == String(port), fields[2] == "*" || fields[2] == database,
                fields[3] == "*" || fields[3] == user
            {
                return fields[4]
            }
        }
        return nil
    }

    /// The address as messages show it: never the password.
    public var description: String {
        "postgresql://\(user)@\(socketFolder ?? host):\(port)/\(database)"
    }
}
