import ArgumentParser
import CaseTrackCore
import Foundation

extension Language: ExpressibleByArgument {}
extension SummaryFormat: ExpressibleByArgument {}

struct SummaryCommand: ParsableCommand, WritesOutput {
    static let configuration = CommandConfiguration(
        commandName: "summary",
        abstract: "Summarise a year as a briefing does: totals, change against the year before, each city, top cases.")

    @Option(help: "The year to summarise.") var year: String
    @Option(help: "Only this division and the counties under it (broken down by county).") var city: String?
    @Option(help: "Language of the prose: zh (default) or en.") var lang: Language = .zh
    @Option(help: "text, markdown, json or html (a self-contained page with a chart).") var format: SummaryFormat = .text
    @OptionGroup var outputFile: OutputFileOptions
    @OptionGroup var store: StoreOptions

    func run() throws {
        let summary = try store.openExisting().summary(year: year, city: city)
        let renderer = SummaryRenderer(summary, language: lang)
        switch format {
        case .text: print(renderer.text(chartWidth: Terminal.chartWidth), terminator: "")
        case .markdown: print(renderer.markdown(), terminator: "")
        case .json: print(renderer.json(), terminator: "")
        case .html: print(renderer.html(), terminator: "")
        }
    }
}

/// What standard output is connected to.
enum Terminal {
    /// The width to draw charts in when standard output is a terminal, else nil (no chart).
    static var chartWidth: Int? {
        guard isatty(STDOUT_FILENO) == 1 else { return nil }
        return width
    }

    static var width: Int {
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        if let columns = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init), columns > 0 { return columns }
        return 80
    }
}
