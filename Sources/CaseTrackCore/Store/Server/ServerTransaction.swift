import Foundation
import GRDB

/// Transactions on a PostgreSQL register: every write is one change set (opened by
/// `casetrack_begin`, closed by `casetrack_finish`), rolled back when it changed nothing; a write
/// that lost a deadlock to another bureau's is retried.
enum ServerTransaction {
    static let attempts = 5

    static func write<T>(_ session: ServerSession, actor: Actor, _ body: (any SQLSession) throws -> T) throws -> T {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try writeOnce(session, actor: actor, body)
            } catch let error as ServerError where (error.sqlState == "40P01" || error.sqlState == "40001") && attempt < attempts {
                usleep(UInt32.random(in: 10_000...50_000) * UInt32(attempt))
                continue
            } catch let error as ServerError {
                throw translate(error)
            }
        }
    }

    private static func writeOnce<T>(_ session: ServerSession, actor: Actor, _ body: (any SQLSession) throws -> T) throws -> T {
        try session.execute("BEGIN", [])
        session.isWriting = true
        defer { session.isWriting = false }
        do {
            guard let id = try session.value(Int64.self, "SELECT casetrack_begin(?, ?)", [actor.user.databaseValue, actor.command.databaseValue]) else {
                throw CaseTrackError.storage("the server did not open a change set")
            }
            let result = try body(session)
            let changed = try session.value(Bool.self, "SELECT casetrack_finish(?)", [id.databaseValue]) ?? false
            try session.execute(changed ? "COMMIT" : "ROLLBACK", [])
            return result
        } catch {
            try? session.execute("ROLLBACK", [])
            throw error
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
        var attempt = 0
        while true {
            attempt += 1
            do {
                try session.execute("BEGIN ISOLATION LEVEL REPEATABLE READ", [])
                session.isWriting = true
                defer { session.isWriting = false }
                do {
                    try session.execute("SELECT pg_advisory_xact_lock(7364219)", [])
                    var opened: Int64?
                    let result = try body(session) { target in
                        guard let id = try session.value(
                            Int64.self, "SELECT casetrack_begin_undo(?, ?, ?)",
                            [actor.user.databaseValue, actor.command.databaseValue, target.databaseValue])
                        else { throw CaseTrackError.storage("the server did not open a change set") }
                        opened = id
                        return id
                    }
                    if let opened, !dryRun, try session.value(Bool.self, "SELECT casetrack_finish(?)", [opened.databaseValue]) == true {
                        try session.execute("COMMIT", [])
                    } else {
                        try session.execute("ROLLBACK", [])
                    }
                    return result
                } catch {
                    try? session.execute("ROLLBACK", [])
                    throw error
                }
            } catch let error as ServerError where (error.sqlState == "40P01" || error.sqlState == "40001") && attempt < attempts {
                usleep(UInt32.random(in: 10_000...50_000) * UInt32(attempt))
                continue
            } catch let error as ServerError {
                throw translate(error)
            }
        }
    }

    /// `check --repair`: a change set of its own that is kept when `body` repaired anything,
    /// even though no versioned row changed (functions, triggers and derived totals are not
    /// versioned).
    static func upkeep(_ session: ServerSession, actor: Actor, _ body: (any SQLSession) throws -> [String]) throws -> [String] {
        do {
            try session.execute("BEGIN", [])
            session.isWriting = true
            defer { session.isWriting = false }
            do {
                guard let id = try session.value(Int64.self, "SELECT casetrack_begin(?, ?)", [actor.user.databaseValue, actor.command.databaseValue]) else {
                    throw CaseTrackError.storage("the server did not open a change set")
                }
                let repaired = try body(session)
                _ = try session.value(Bool.self, "SELECT casetrack_finish(?)", [id.databaseValue])
                try session.execute(repaired.isEmpty ? "ROLLBACK" : "COMMIT", [])
                return repaired
            } catch {
                try? session.execute("ROLLBACK", [])
                throw error
            }
        } catch let error as ServerError {
            throw translate(error)
        }
    }

    /// `copy` with history: one transaction in which `body` opens (casetrack_begin_copy) and
    /// closes change sets copied from another register; rolled back for a dry run.
    static func replay(
        _ session: ServerSession, dryRun: Bool,
        _ body: (any SQLSession, _ open: (ChangeSet, Int64?) throws -> Int64, _ close: (Int64) throws -> Void) throws -> Void
    ) throws {
        do {
            try session.execute("BEGIN", [])
            session.isWriting = true
            defer { session.isWriting = false }
            do {
                try body(
                    session,
                    { set, undoes in
                        guard let id = try session.value(
                            Int64.self, "SELECT casetrack_begin_copy(?, ?, ?, ?)",
                            [set.user.databaseValue, set.command.databaseValue, set.at.databaseValue, undoes.databaseValue])
                        else { throw CaseTrackError.storage("the server did not open a change set") }
                        return id
                    },
                    { _ = try session.value(Bool.self, "SELECT casetrack_finish(?)", [$0.databaseValue]) })
                try session.execute(dryRun ? "ROLLBACK" : "COMMIT", [])
            } catch {
                try? session.execute("ROLLBACK", [])
                throw error
            }
        } catch let error as ServerError {
            throw translate(error)
        }
    }

    static func preview(_ session: ServerSession, actor: Actor, _ body: (any SQLSession) throws -> Void) throws {
        do {
            try session.execute("BEGIN", [])
            session.isWriting = true
            defer { session.isWriting = false }
            defer { try? session.execute("ROLLBACK", []) }
            _ = try session.value(Int64.self, "SELECT casetrack_begin(?, ?)", [actor.user.databaseValue, actor.command.databaseValue])
            try body(session)
        } catch let error as ServerError {
            throw translate(error)
        }
    }

    static func read<T>(_ session: ServerSession, _ body: (any SQLSession) throws -> T) throws -> T {
        do {
            // One snapshot for the whole read, as SQLite's read transaction gives.
            try session.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", [])
            defer { try? session.execute("ROLLBACK", []) }
            return try body(session)
        } catch let error as ServerError {
            throw translate(error)
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
