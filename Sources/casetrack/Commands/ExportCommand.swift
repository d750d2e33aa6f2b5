import ArgumentParser
import CaseTrackCore
import Foundation

struct ExportCommand: ParsableCommand, WritesOutput {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export cases as import documents (JSON, JSONL) or case totals (CSV).")

    @Option(help: "json, jsonl or csv.") var format: ExchangeFormat = .jsonl
    @Flag(help: "Start the output with a UTF-8 byte-order mark, so that Excel reads the Chinese text correctly.")
    var excel = false
    @OptionGroup var outputFile: OutputFileOptions
    @OptionGroup var filter: FilterOptions
    @OptionGroup var store: StoreOptions

    func run() throws {
        let opened = try store.openExisting()
        let sink = BufferedOutput()
        if excel { try sink.write("\u{FEFF}") }
        try opened.exportDocuments(matching: filter.filter, format: format) { try sink.write($0) }
        try sink.finish()
    }
}
