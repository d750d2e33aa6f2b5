import Foundation

/// A progress line on standard error, shown only on a terminal and only after the first second.
final class ProgressLine {
    private let started = Date()
    private var lastShown = Date.distantPast
    private var shown = false
    private let enabled = isatty(STDERR_FILENO) == 1

    func update(_ text: String) {
        guard enabled, Date().timeIntervalSince(started) > 1, Date().timeIntervalSince(lastShown) > 0.2 else { return }
        lastShown = Date()
        shown = true
        FileHandle.standardError.write(Data("\r\u{1B}[K\(text)".utf8))
    }

    func clear() {
        if shown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
