import ArgumentParser
import CaseTrackCore
import Foundation

extension ExchangeFormat: ExpressibleByArgument {}
extension TextEncoding: ExpressibleByArgument {}

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import case documents (JSON, JSONL) or case totals (CSV) in one all-or-nothing transaction.",
        discussion: """
            A case is keyed by city, code and year: an existing case takes the file's fields and \
            results, a new one is created, and one the file already describes is left as it is, so \
            importing the same file twice changes nothing.
            """)

    @Argument(help: ArgumentHelp("The file to read, or - for standard input.", valueName: "file"))
    var file: String
    @Option(help: "json, jsonl or csv (default: from the file's extension; sniffed on standard input).")
    var format: ExchangeFormat?
    @Option(help: "utf-8 or gb18030 (GBK files are GB18030). A UTF-8 byte-order mark is always accepted.")
    var encoding: TextEncoding = .utf8
    @Flag(help: "Check everything and print what would be created, updated or left unchanged; write nothing.")
    var dryRun = false
    @OptionGroup var store: StoreOptions

    func run() throws {
        let opened = try store.openStore()
        let progress = ProgressLine()
        let options = ImportOptions(format: format, encoding: encoding, dryRun: dryRun)
        let summary = try opened.importDocuments(
            from: file, options: options,
            progress: { progress.update("\($0) documents read…") },
            planned: dryRun ? { action, label in print("\(action.rawValue)\t\(label)") } : nil)
        progress.clear()
        let verb = dryRun ? "Dry run, nothing written: would create" : "Imported"
        let counts = dryRun
            ? "\(summary.created) cases, update \(summary.updated), leave \(summary.unchanged) unchanged; \(summary.resultsWritten) result rows"
            : "\(summary.created) cases created, \(summary.updated) updated, \(summary.unchanged) unchanged; \(summary.resultsWritten) result rows written"
        note("\(verb) \(counts) (\(file == "-" ? "standard input" : file), \(String(format: "%.2f", summary.seconds)) s).")
    }
}

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export cases as import documents (JSON, JSONL) or case totals (CSV).")

    @Option(help: "json, jsonl or csv.") var format: ExchangeFormat = .jsonl
    @Flag(help: "Start the output with a UTF-8 byte-order mark, so that Excel reads the Chinese text correctly.")
    var excel = false
    @Option(name: [.customShort("o"), .long], help: ArgumentHelp("Write to this file (created 0600) instead of standard output.", valueName: "path"))
    var output: String?
    @OptionGroup var filter: FilterOptions
    @OptionGroup var store: StoreOptions

    func run() throws {
        let opened = try store.openStore()
        let sink = try BufferedOutput(path: output)
        if excel { try sink.write("\u{FEFF}") }
        try opened.exportDocuments(matching: filter.filter, format: format) { try sink.write($0) }
        try sink.finish()
    }
}

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
