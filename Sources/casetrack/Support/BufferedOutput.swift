import CStandardOutput
import Foundation

/// Standard output written in large blocks, for exports of any size (`-o` is handled for every
/// command by `StandardOutput`).
final class BufferedOutput {
    private var buffer = Data()

    func write(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 16 { try flush() }
    }

    func finish() throws { try flush() }

    private func flush() throws {
        let count = buffer.count
        let written = buffer.withUnsafeBytes { casetrack_stdout_write($0.baseAddress, $0.count) }
        buffer.removeAll(keepingCapacity: true)
        // A failed write is reported with its reason when the command finishes.
        if written < count { throw StopWriting() }
    }
}

/// Thrown to stop producing output once standard output has failed; `StandardOutput.finish`
/// then reports why.
struct StopWriting: Error {}
