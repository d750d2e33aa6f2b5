import ArgumentParser
import CaseTrackCore
import Foundation

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
        let opened = try store.openExisting()
        let sink = try BufferedOutput(path: output)
        if excel { try sink.write("\u{FEFF}") }
        try opened.exportDocuments(matching: filter.filter, format: format) { try sink.write($0) }
        try sink.finish()
    }
}
