import Crypto
import Foundation
import GRDB

/// Tamper evidence for the history: each change set casetrack writes carries a SHA-256 over
/// its metadata and its history rows, chained to the digest of the change set before it.
///
/// What it proves: a history row altered, deleted or forged in an old change set, or a change
/// set's metadata rewritten, breaks the chain from that change set on, and `check` names the
/// first one. Change sets written outside casetrack (the sqlite3 shell) carry no digest and
/// `log` marks them. What it cannot prove: someone with the file can recompute the whole chain
/// after rewriting it; a copy (`backup`) or a chain head noted elsewhere (`check` prints it)
/// lets a supervisor notice that. Rows a change set inserted are covered once a later change
/// files them in history; a direct edit is itself recorded by the triggers, and dropping the
/// triggers is what `check` reports first.
enum ChangeSetDigest {
    /// The digest of change set `id`, given the digest before it.
    static func compute(_ id: Int64, previous: String?, _ db: Database) throws -> String {
        var hasher = SHA256()
        func feed(_ text: String?) {
            var text = text ?? "\u{0}"
            // Straight from the string's UTF-8 storage: a digest reads every history row.
            text.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
            withUnsafeBytes(of: UInt8(0x1F)) { hasher.update(bufferPointer: $0) }
        }
        feed(previous)
        guard let meta = try Row.fetchOne(db, sql: "SELECT id, at, user, command, undoes FROM change_sets WHERE id = ?", arguments: [id]) else {
            return ""
        }
        feed(String(id))
        feed(meta["at"])
        feed(meta["user"])
        feed(meta["command"])
        feed((meta["undoes"] as Int64?).map(String.init))
        let rows = try Row.fetchCursor(
            db, sql: "SELECT id, table_name, row_id, case_id, action, valid_from, image FROM history WHERE change_set = ? ORDER BY id",
            arguments: [id])
        // Columns by position: a digest reads every history row of its change set (1.25 M for
        // the undo of a 100k import), and a name is looked up column by column otherwise.
        while let row = try rows.next() {
            feed(String(row[0] as Int64))
            feed(row[1])
            feed(String(row[2] as Int64))
            feed((row[3] as Int64?).map(String.init))
            feed(row[4])
            feed((row[5] as Int64?).map(String.init))
            feed(row[6])
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// The digest the next closing change set chains to: the newest one written so far.
    static func head(before id: Int64, _ db: Database) throws -> String? {
        try String.fetchOne(db, sql: "SELECT digest FROM change_sets WHERE id < ? AND digest IS NOT NULL ORDER BY id DESC LIMIT 1", arguments: [id])
    }

    /// The change sets whose digest no longer matches, in order, with why (at most `limit`).
    static func problems(_ db: Database, limit: Int = 5) throws -> [String] {
        var problems: [String] = []
        var previous: String?
        let sets = try Row.fetchCursor(db, sql: "SELECT id, digest, command FROM change_sets WHERE open = 0 ORDER BY id")
        while let row = try sets.next() {
            let id: Int64 = row["id"]
            guard let stored: String = row["digest"] else {
                // casetrack seals every change set it closes, its own and those written outside it.
                let command: String = row["command"]
                problems.append("change set \(id) (\(command.preview)) carries no seal: it was written into the history from outside casetrack")
                if problems.count >= limit { break }
                continue
            }
            let expected = try compute(id, previous: previous, db)
            if expected != stored {
                problems.append("change set \(id): its history or metadata was altered, deleted or forged after it was written (the digest chain breaks here)")
                if problems.count >= limit { break }
            }
            previous = stored
        }
        return problems
    }

    /// The newest digest: the chain head a supervisor can note to detect a rewritten history.
    static func chainHead(_ db: Database) throws -> (Int64, String)? {
        try Row.fetchOne(db, sql: "SELECT id, digest FROM change_sets WHERE digest IS NOT NULL ORDER BY id DESC LIMIT 1").map { ($0["id"], $0["digest"]) }
    }
}
