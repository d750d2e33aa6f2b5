import CStandardOutput
import CaseTrackCore
import Foundation

/// A database this command created: announced when the command succeeds, removed (with the
/// folders made for it) when it fails, so that a refused first command leaves nothing behind.
enum CreatedDatabase {
    nonisolated(unsafe) private static var path: String?
    nonisolated(unsafe) private static var folders: [String] = []
    /// A register this command created on a server: its schema is removed again on failure.
    nonisolated(unsafe) private static var server: CaseStore?

    /// Call before opening: remembers which folders of the path do not exist yet.
    static func missingFolders(of path: String) -> [String] {
        var missing: [String] = []
        var folder = FilePath.folder(of: path)
        while !folder.isEmpty, folder != "/", !FileManager.default.fileExists(atPath: folder) {
            missing.append(folder)
            folder = FilePath.folder(of: folder)
        }
        return missing
    }

    static func register(_ created: String, folders made: [String]) {
        path = created
        folders = made
        casetrack_cleanup_on_interrupt(1, created)
    }

    static func register(server store: CaseStore) {
        server = store
    }

    static func announce() {
        if let path {
            let libpq = ["PGHOST", "PGDATABASE"].filter { ProcessInfo.processInfo.environment[$0].map { !$0.isEmpty } ?? false }
            note("created a new database at \(path)" + (libpq.isEmpty ? "" :
                " (\(libpq.joined(separator: " and ")) \(libpq.count == 1 ? "is" : "are") set, but casetrack uses a server only when --db or $CASETRACK_DB is a postgresql:// address)"))
        }
        if let server { note("Created a casetrack register in \(server.path).") }
        path = nil
        server = nil
        casetrack_cleanup_on_interrupt(1, nil)
    }

    static func discard() {
        if let server { try? server.removeCreatedRegister() }
        server = nil
        guard let path else { return }
        for suffix in ["", "-wal", "-shm", "-journal"] { unlink(path + suffix) }
        for folder in folders { rmdir(folder) }
        self.path = nil
    }
}
