import Foundation

/// Where the database lives: `--db` first, then `$CASETRACK_DB`, then
/// `$XDG_DATA_HOME/casetrack/casetrack.db` (XDG_DATA_HOME defaulting to ~/.local/share).
public enum DatabaseLocation {
    public static func resolve(option: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let option, !option.isEmpty { return option }
        if let path = environment["CASETRACK_DB"], !path.isEmpty { return path }
        let dataHome: String
        if let xdg = environment["XDG_DATA_HOME"], xdg.hasPrefix("/") {
            dataHome = xdg
        } else {
            let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
            dataHome = (home as NSString).appendingPathComponent(".local/share")
        }
        return (dataHome as NSString).appendingPathComponent("casetrack/casetrack.db")
    }

    /// Makes sure the folder exists (created 0700) and that nothing is created readable by
    /// others: the database and its -wal/-shm files are born 0600 whatever the caller's umask.
    static func prepare(path: String) throws {
        umask(0o077)
        let fileManager = FileManager.default
        var isDirectory: ObjCBool = false
        if fileManager.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw CaseTrackError.notACaseTrackDatabase(path: path, reason: "it is a directory")
        }
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty, !fileManager.fileExists(atPath: folder) {
            do {
                try fileManager.createDirectory(
                    atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw CaseTrackError.storage("cannot create the folder \(folder): \(error.localizedDescription)")
            }
        }
    }

    /// True when the file exists and holds something; such a file must prove it is ours.
    static func existsWithContent(_ path: String) -> Bool {
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
        return size > 0
    }

    /// SQLite's 16-byte file header.
    static func hasSQLiteHeader(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let header = (try? handle.read(upToCount: 16)) ?? Data()
        return header == Data("SQLite format 3\0".utf8)
    }
}
