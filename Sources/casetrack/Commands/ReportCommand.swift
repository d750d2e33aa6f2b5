import ArgumentParser
import CaseTrackCore

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Print totals grouped by city, county, year, quarter, month or category.")

    @Option(help: ArgumentHelp("Comma list of keys: city, county, year, quarter, month, category.", valueName: "keys"),
        transform: { try ReportKey.parseList($0) })
    var by: [ReportKey] = ReportKey.defaultKeys
    @Option(help: "Only figures that count in this year.") var year: String?
    @Option(help: "Only this division and the counties under it.") var city: String?
    @Option(help: "Only this category.") var category: String?
    @OptionGroup var output: FormatOptions
    @OptionGroup var store: StoreOptions

    func run() throws {
        let report = try store.openStore().report(by: by, filter: CaseFilter(city: city, year: year, category: category))
        output.print(ReportTable.make(report))
    }
}
