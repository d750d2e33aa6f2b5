import ArgumentParser
import CaseTrackCore

struct ReportCommand: ParsableCommand, WritesOutput {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Print totals grouped by city, county, year, quarter, month or category.")

    @Option(help: ArgumentHelp("Comma list of keys: city, county, year, quarter, month, category.", valueName: "keys"),
        transform: { try ReportKey.parseList($0) })
    var by: [ReportKey] = ReportKey.defaultKeys
    @Option(help: "Only figures that count in this year.") var year: String?
    @Option(help: "Only this division and the counties under it.") var city: String?
    @Option(help: "Only this category.") var category: String?
    @Option(help: ArgumentHelp("First period: YYYY, YYYY-MM or YYYY-MM-DD. A figure known only to the month or year counts when its whole month or year is inside the bounds.", valueName: "period"))
    var from: String?
    @Option(help: ArgumentHelp("Last period: YYYY, YYYY-MM or YYYY-MM-DD.", valueName: "period")) var to: String?
    @Flag(help: "Draw a bar chart of arrests under the table (with --by year: arrests, gangs and links, a bar per year).") var chart = false
    @OptionGroup var output: FormatOptions
    @OptionGroup var outputFile: OutputFileOptions
    @OptionGroup var store: StoreOptions

    func validate() throws {
        if chart && output.format != .table {
            throw ValidationError("--chart draws under the table; it cannot be combined with --format \(output.format.rawValue).")
        }
    }

    func run() throws {
        let filter = CaseFilter(city: city, year: year, category: category, from: from, to: to)
        let report = try store.openForReading().report(by: by, filter: filter)
        if report.countedByDay {
            note("Counted by day: figures dated only to a month or a year count when that whole month or year lies within the bounds.")
        }
        output.print(ReportTable.make(report))
        guard chart && !report.rows.isEmpty else { return }
        if by == [.year] {
            // A trend: one bar per year, years with nothing between drawn at 0, for each figure.
            let years = YearTrend.filled(report.rows.compactMap { row in
                if case let .number(year) = row.keys[0] { return (year, row.figures) }
                return nil
            })
            // The column names of the table above, as the chart of other keys is captioned.
            let series = YearTrend.series(years.map(\.figures), captions: ["arrests", "gangs", "links"])
            print("")
            print(YearTrend.render(years: years.map(\.year), series: series, width: Terminal.width), terminator: "")
            return
        }
        let groups = report.rows.map { row in
            BarChart.Group(label: row.keys.map(\.description).joined(separator: " "), bars: [("", row.figures.arrests)])
        }
        print("\narrests")
        print(BarChart.render(groups, width: Terminal.width), terminator: "")
    }
}
