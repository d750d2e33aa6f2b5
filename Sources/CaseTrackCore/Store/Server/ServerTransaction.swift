import Foundation
import GRDB

/// Transactions on a PostgreSQL register: every write is one change set (opened by
/// `casetrack_begin`, closed by `casetrack_finish`), rolled back when it changed nothing; a write
/// that lost a deadlock to another bureau's is retried.
enum ServerTransaction {
    static let attempts = 5

    static func write<T>(_ session: ServerSession, actor: Actor, _ body: (any SQLSession) throws -> T) throws -> T {
        try retrying {
            try writing(session) {
                let id = try openChangeSet(session, "SELECT casetrack_begin(?, ?)", [actor.user.databaseValue, actor.command.databaseValue])
                let result = try body(session)
                let changed = try session.value(Bool.self, "SELECT casetrack_finish(?)", [id.databaseValue]) ?? false
                return (result, commit: changed)
            }
        }
    }

    /// An undo or a redo: `body` picks what it reverts, then opens the change set naming it
    /// (through `open`) before it writes. Undos queue behind one another, and run on one snapshot
    /// (REPEATABLE READ), so that a record another bureau changes meanwhile makes the revert start
    /// over (up to `attempts` times) instead of overwriting that change; a dry run rolls back.
    static func revert<T>(
        _ session: ServerSession, actor: Actor, dryRun: Bool,
        _ body: (any SQLSession, _ open: (Int64) throws -> Int64) throws -> T
    ) throws -> T {
        try retrying {
            try writing(session, begin: "BEGIN ISOLATION LEVEL REPEATABLE READ") {
                try session.execute("SELECT pg_advisory_xact_lock(7364219)", [])
                var opened: Int64?
                let result = try body(session) { target in
                    let id = try openChangeSet(
                        session, "SELECT casetrack_begin_undo(?, ?, ?)",
                        [actor.user.databaseValue, actor.command.databaseValue, target.databaseValue])
                    opened = id
                    return id
                }
                guard let opened, !dryRun else { return (result, commit: false) }
                return (result, commit: try session.value(Bool.self, "SELECT casetrack_finish(?)", [opened.databaseValue]) == true)
            }
        }
    }

    /// `check --repair`: a change set of its own that is kept when `body` repaired anything,
    /// even though no versioned row changed (functions, triggers and derived totals are not
    /// versioned).
    static func upkeep(_ session: ServerSession, actor: Actor, _ body: (any SQLSession) throws -> [String]) throws -> [String] {
        try translating {
            try writing(session) {
                let id = try openChangeSet(session, "SELECT casetrack_begin(?, ?)", [actor.user.databaseValue, actor.command.databaseValue])
                let repaired = try body(session)
                _ = try session.value(Bool.self, "SELECT casetrack_finish(?)", [id.databaseValue])
                return (repaired, commit: !repaired.isEmpty)
            }
        }
    }

    /// `copy` with history: one transaction in which `body` opens (casetrack_begin_copy) and
    /// closes change sets copied from another register; rolled back for a dry run.
    static func replay(
        _ session: ServerSession, dryRun: Bool,
        _ body: (any SQLSession, _ open: (ChangeSet, Int64?) throws -> Int64, _ close: (Int64) throws -> Void) throws -> Void
    ) throws {
        try translating {
            try writing(session) {
                try body(
                    session,
                    { set, undoes in
                        try openChangeSet(
                            session, "SELECT casetrack_begin_copy(?, ?, ?, ?)",
                            [set.user.databaseValue, set.command.databaseValue, set.at.databaseValue, undoes.databaseValue])
                    },
                    { _ = try session.value(Bool.self, "SELECT casetrack_finish(?)", [$0.databaseValue]) })
                return ((), commit: !dryRun)
            }
        }
    }

    /// A write that is rolled back: what a dry run would change.
    static func preview(_ session: ServerSession, actor: Actor, _ body: (any SQLSession) throws -> Void) throws {
        try translating {
            try writing(session) {
                _ = try openChangeSet(session, "SELECT casetrack_begin(?, ?)", [actor.user.databaseValue, actor.command.databaseValue])
                try body(session)
                return ((), commit: false)
            }
        }
    }

    // MARK: - The shapes every write shares

    /// One writing transaction: `body` says whether to commit; any error rolls it back.
    private static func writing<T>(
        _ session: ServerSession, begin: String = "BEGIN", _ body: () throws -> (T, commit: Bool)
    ) throws -> T {
        try session.execute(begin, [])
        session.isWriting = true
        defer { session.isWriting = false }
        do {
            let (result, commit) = try body()
            try session.execute(commit ? "COMMIT" : "ROLLBACK", [])
            return result
        } catch {
            try? session.execute("ROLLBACK", [])
            throw error
        }
    }

    /// Opens a change set with one of the schema's casetrack_begin functions; returns its id.
    private static func openChangeSet(_ session: ServerSession, _ sql: String, _ arguments: [DatabaseValue]) throws -> Int64 {
        guard let id = try session.value(Int64.self, sql, arguments) else {
            throw CaseTrackError.storage("the server did not open a change set")
        }
        return id
    }

    /// Runs `body` again when it lost a deadlock or a serialization conflict to another writer
    /// (up to `attempts` times, waiting a little longer each time); the server's errors in words.
    private static func retrying<T>(_ body: () throws -> T) throws -> T {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try body()
            } catch let error as ServerError where (error.sqlState == "40P01" || error.sqlState == "40001") && attempt < attempts {
                usleep(UInt32.random(in: 10_000...50_000) * UInt32(attempt))
            } catch let error as ServerError {
                throw translate(error)
            }
        }
    }

    /// The server's errors from `body` in casetrack's words.
    private static func translating<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as ServerError {
            throw translate(error)
        }
    }

    static func read<T>(_ session: ServerSession, _ body: (any SQLSession) throws -> T) throws -> T {
        try translating {
            // One snapshot for the whole read, as SQLite's read transaction gives.
            try session.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", [])
            defer { try? session.execute("ROLLBACK", []) }
            return try body(session)
        }
    }

    private static let vocabularyTables = ["cities", "city_aliases", "categories", "category_aliases", "link_types", "link_type_aliases"]

    /// The server's refusals in casetrack's words.
    static func translate(_ error: ServerError) -> CaseTrackError {
        switch error.sqlState {
        case "42501" where error.message.hasPrefix("role "):
            return .notPermitted(error.message)
        case "42501" where vocabularyTables.contains(where: { error.message == "permission denied for table \($0)" }):
            return .notPermitted("only the province's roles may change the divisions, categories and link types (\(error.message))")
        case "42501":
            return .notPermitted("the server refused the write: \(error.message)")
        case "23505", "23503", "23514", "23502":
            return .storage("the database refused the change (\(error.message))")
        case "40P01", "40001":
            return .storage("the register is busy: another writer kept the same cases locked; try again")
        default:
            return .storage(error.message)
        }
    }
}
