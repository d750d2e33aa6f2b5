import Testing

/// The two kinds of register an end-to-end test runs against: an SQLite file and a database on
/// the throw-away PostgreSQL server `make test` starts (only when there is one: without it the
/// server half is left out, and PostgresRegisterTests says why).
enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case file, server

    static var available: [Backend] { TestServer.available ? [.file, .server] : [.file] }

    var testDescription: String { rawValue }
}
