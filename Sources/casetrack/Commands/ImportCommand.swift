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
            A case is keyed by city, code and year. A new case is created; an existing one changes \
            exactly as far as the file states: an absent JSON key or an empty CSV cell leaves that \
            field or figure as it is, null clears a field, a results array replaces that kind's rows. \
            A CSV row states totals: a figure equal to the register's changes nothing (its rows, \
            names and dates stay); one that differs is a conflict, refused unless --on-conflict \
            says otherwise. Importing the same file twice changes nothing.
            """)

    @Argument(help: ArgumentHelp("The file to read, or - for standard input.", valueName: "file"))
    var file: String
    @Option(help: "json, jsonl or csv (default: from the file's extension; sniffed on standard input).")
    var format: ExchangeFormat?
    @Option(help: "utf-8 or gb18030 (GBK files are GB18030). A UTF-8 byte-order mark is always accepted.")
    var encoding: TextEncoding = .utf8
    @Flag(help: "With --encoding gb18030: read the file as GB18030 even when it looks like UTF-8.")
    var forceEncoding = false
    @OptionGroup var merge: MergeOptions
    @OptionGroup var store: StoreOptions

    func run() throws {
        let opened = merge.dryRun ? try store.openForPreview() : try store.openStore()
        let progress = ProgressLine()
        defer { progress.clear() }
        try merge.run({ options, planned in
            var options = options
            options.forceEncoding = forceEncoding
            return try opened.importDocuments(
                from: file, options: options, progress: { progress.update("\($0) documents read…") }, planned: planned)
        }, name: file == "-" ? "standard input" : file, format: format, encoding: encoding)
    }
}
