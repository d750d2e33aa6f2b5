import Foundation
import Testing

/// The throw-away PostgreSQL server `make test` starts (Scripts/with-postgres.sh), named by
/// CASETRACK_TEST_POSTGRES; each test gets its own database on it.
enum TestServer {
    static let environment = ProcessInfo.processInfo.environment
    static let url = environment["CASETRACK_TEST_POSTGRES"].flatMap { $0.isEmpty ? nil : $0 }

    static var available: Bool { url != nil }

    /// Why the PostgreSQL tests do not run, said rather than silent.
    static var skipReason: Comment {
        Comment(rawValue: environment["CASETRACK_TEST_POSTGRES_SKIP"]
            ?? "CASETRACK_TEST_POSTGRES is not set: run the tests through `make test`, which starts a throw-away PostgreSQL server")
    }

    /// host, port of the server.
    static var endpoint: (host: String, port: String) {
        let components = URLComponents(string: url ?? "")
        return (components?.host ?? "127.0.0.1", String(components?.port ?? 5432))
    }

    /// Runs psql as `user` on `database`; returns its status and output.
    @discardableResult
    static func psql(_ sql: String, database: String = "postgres", user: String = "postgres") throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", endpoint.host, "-p", endpoint.port, "-U", user, "-d", database, "-At", "-c", sql]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

/// A database of its own on the test server for one test, dropped with it.
final class ServerDatabase {
    let name: String

    init() throws {
        name = "casetrack_test_\(UUID().uuidString.prefix(8).lowercased())"
        let created = try TestServer.psql("CREATE DATABASE \(name)")
        guard created.status == 0 else { throw ServerDatabaseError(message: created.output) }
    }

    deinit {
        _ = try? TestServer.psql("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    /// The address casetrack is given, as `user`.
    func url(user: String = "postgres") -> String {
        "postgresql://\(user)@\(TestServer.endpoint.host):\(TestServer.endpoint.port)/\(name)"
    }

    func psql(_ sql: String, user: String = "postgres") throws -> (status: Int32, output: String) {
        try TestServer.psql(sql, database: name, user: user)
    }
}

struct ServerDatabaseError: Error { var message: String }
