import ArgumentParser
import CaseTrackCore
import Foundation

extension Language: ExpressibleByArgument {}
extension SummaryFormat: ExpressibleByArgument {}

struct SummaryCommand: ParsableCommand, WritesOutput {
    static let configuration = CommandConfiguration(
        commandName: "summary",
        abstract: "Summarise a year as a briefing does, or several years as a review does (--from/--to).",
        discussion: """
            With --year: totals, the change against the year before, each city, top cases. With --from and \
            --to (years, at most \(PeriodSummary.maximumYears)): every year with its change, the period's totals, \
            each city across the years, top cases, and the trend of arrests, gangs and links.
            """)

    @Option(help: "The year to summarise.") var year: String?
    @Option(help: ArgumentHelp("First year of a review of several years (with --to).", valueName: "year"))
    var from: String?
    @Option(help: ArgumentHelp("Last year of a review of several years (with --from).", valueName: "year"))
    var to: String?
    @Option(help: "Only this division and the counties under it (broken down by county).") var city: String?
    @Option(help: "Language of the prose: zh (default) or en.") var lang: Language = .zh
    @Option(help: "text, markdown, json or html (a self-contained page with charts).") var format: SummaryFormat = .text
    @Flag(help: "With --from/--to and --format html: add a line chart of arrests per year for each city.")
    var cityTrends = false
    @OptionGroup var outputFile: OutputFileOptions
    @OptionGroup var store: StoreOptions

    func validate() throws {
        switch (year, from, to) {
        case (nil, nil, nil):
            throw ValidationError("Give --year YEAR for a year, or --from YEAR --to YEAR for a review of several years.")
        case (.some, .some, _), (.some, _, .some):
            throw ValidationError("--year and --from/--to cannot be combined: --year summarises one year, --from and --to review several.")
        case (nil, .some, nil):
            throw ValidationError("--from needs --to: a review runs from one year to another (--from 2019 --to 2023).")
        case (nil, nil, .some):
            throw ValidationError("--to needs --from: a review runs from one year to another (--from 2019 --to 2023).")
        default: break
        }
        if cityTrends && (year != nil || format != .html) {
            throw ValidationError("--city-trends draws in the HTML page of a review: use it with --from, --to and --format html.")
        }
    }

    func run() throws {
        if let from, let to {
            let summary = try store.openForReading().periodSummary(from: from, to: to, city: city)
            let renderer = PeriodSummaryRenderer(summary, language: lang)
            switch format {
            case .text: print(renderer.text(chartWidth: Terminal.chartWidth), terminator: "")
            case .markdown: print(renderer.markdown(), terminator: "")
            case .json: print(renderer.json(), terminator: "")
            case .html: print(renderer.html(cityTrends: cityTrends), terminator: "")
            }
            return
        }
        let summary = try store.openForReading().summary(year: year ?? "", city: city)
        let renderer = SummaryRenderer(summary, language: lang)
        switch format {
        case .text: print(renderer.text(chartWidth: Terminal.chartWidth), terminator: "")
        case .markdown: print(renderer.markdown(), terminator: "")
        case .json: print(renderer.json(), terminator: "")
        case .html: print(renderer.html(), terminator: "")
        }
    }
}
