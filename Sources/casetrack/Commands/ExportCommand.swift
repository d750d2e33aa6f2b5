import ArgumentParser
import CaseTrackCore
import Foundation

struct ExportCommand: ParsableCommand, WritesOutput {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export cases as import documents (JSON, JSONL) or case totals (CSV).")

    @Option(help: "json, jsonl or csv.") var format: ExchangeFormat = .jsonl
    @Flag(help: "For Excel and WPS: a UTF-8 byte-order mark, Chinese CSV headers, and cells that would run as formulas (= + - @) made text with a leading '.")
    var excel = false
    @OptionGroup var outputFile: OutputFileOptions
    @OptionGroup var filter: FilterOptions
    @OptionGroup var store: StoreOptions

    func run() throws {
        let opened = try store.openForReading()
        let sink = BufferedOutput()
        if excel { try sink.write("\u{FEFF}") }
        try opened.exportDocuments(matching: filter.filter, format: format, forSpreadsheets: excel) { try sink.write($0) }
        try sink.finish()
    }
}
