import CaseTrackCore
import Foundation

/// Standard output or a private file, written in large blocks.
final class BufferedOutput {
    private let handle: FileHandle
    private var buffer = Data()

    init(path: String?) throws {
        if let path {
            let temporary = path + ".part-\(getpid())"
            guard FileManager.default.createFile(atPath: temporary, contents: nil, attributes: [.posixPermissions: 0o600]),
                let opened = FileHandle(forWritingAtPath: temporary)
            else { throw CaseTrackError.input("cannot write \(path)") }
            handle = opened
            self.path = path
            self.temporary = temporary
        } else {
            handle = FileHandle.standardOutput
            self.path = nil
            self.temporary = nil
        }
    }

    private let path: String?
    private let temporary: String?

    func write(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 16 { try flush() }
    }

    private func flush() throws {
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes, and for a file moves the finished export into place, so that a failed export
    /// never leaves a half-written file under the requested name.
    func finish() throws {
        try flush()
        if let path, let temporary {
            try handle.close()
            if rename(temporary, path) != 0 { throw CaseTrackError.input("cannot write \(path)") }
        }
    }
}
