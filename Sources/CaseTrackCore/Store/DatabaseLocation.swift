import Foundation

/// Where the database lives: `--db` first, then `$CASETRACK_DB`, then
/// `$XDG_DATA_HOME/casetrack/casetrack.db` (XDG_DATA_HOME defaulting to ~/.local/share).
public enum DatabaseLocation {
    /// An empty `--db` or `$CASETRACK_DB` is an error: in a script it is usually a variable that
    /// was never set, and falling back to the default database would write somewhere unintended.
    public static func resolve(option: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        if let option {
            guard !option.trimmingCharacters(in: .whitespaces).isEmpty else { throw CaseTrackError.input("--db is empty: give the database's path") }
            return try fileName(option, from: "--db")
        }
        if let path = environment["CASETRACK_DB"] {
            guard !path.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw CaseTrackError.input("CASETRACK_DB is set but empty: give the database's path, or unset it to use the default")
            }
            return try fileName(path, from: "CASETRACK_DB")
        }
        let dataHome: String
        if let xdg = environment["XDG_DATA_HOME"], xdg.hasPrefix("/") {
            dataHome = xdg
        } else {
            let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
            dataHome = (home as NSString).appendingPathComponent(".local/share")
        }
        return (dataHome as NSString).appendingPathComponent("casetrack/casetrack.db")
    }

    /// A path that names a folder (`new/`, `.`) cannot be the database file.
    static func fileName(_ path: String, from source: String) throws -> String {
        if ServerAddress.isServer(path) { return path }
        // postgresql:/…, postgresql:…, POSTGRESQL://…: meant for a server, and never a file name.
        if path.lowercased().hasPrefix("postgres"), path.contains(":") {
            throw CaseTrackError.input(
                "\(source) '\(ServerAddress.withoutPassword(path))' is not a server address casetrack reads: write postgresql://USER@HOST[:PORT]/DATABASE (lower case, two slashes); nothing was created")
        }
        let last = path.split(separator: "/").last.map(String.init) ?? ""
        if path.hasSuffix("/") || last == "." || last == ".." {
            throw CaseTrackError.input("\(source) names a folder (\(path)); give the database file's path, such as \(path.hasSuffix("/") ? path : path + "/")casetrack.db")
        }
        return path
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
        let folder = FilePath.folder(of: path)
        if !folder.isEmpty, !fileManager.fileExists(atPath: folder) {
            do {
                try fileManager.createDirectory(
                    atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw CaseTrackError.storage("cannot create the folder \(folder): \(error.localizedDescription)")
            }
        }
    }

    /// True when something (a file, a folder, a device) exists at the path.
    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// What the path is when it is neither a regular file nor a folder ("a FIFO", "a device").
    static func notAFileKind(_ path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        switch info.st_mode & S_IFMT {
        case S_IFREG, S_IFDIR: return nil
        case S_IFIFO: return "a FIFO"
        case S_IFCHR, S_IFBLK: return "a device"
        case S_IFSOCK: return "a socket"
        default: return "not a regular file"
        }
    }

    /// True for a regular file (not a folder, FIFO or device), following symbolic links.
    public static func isRegularFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
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

/// Path arithmetic without Foundation's NSString, which traps on some one-character paths.
public enum FilePath {
    /// The folder part of a path: "a/b/c.db" → "a/b", "/c.db" → "/", "c.db" → "".
    public static func folder(of path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return "" }
        if slash == trimmed.startIndex { return "/" }
        var folder = trimmed[..<slash]
        while folder.count > 1 && folder.hasSuffix("/") { folder = folder.dropLast() }
        return String(folder)
    }
}
