import ArgumentParser
import CaseTrackCore

/// The options shared by `case add` and `case edit`.
struct CaseFieldOptions: ParsableArguments {
    @Option(help: "City or county-level division: 襄阳, 襄阳市, xiangyang or 420600.")
    var city: String?
    @Option(help: "The case's code, such as 1.13 (1·13 and full-width digits are the same code).")
    var code: String?
    @Option(help: ArgumentHelp("Opening date: YYYY, YYYY-MM or YYYY-MM-DD (2023-3-3, 2023/3/3, 20230303 and 2023年3月3日 are read too); its year is the statistical year.", valueName: "date"))
    var opened: String?
    @Option(help: ArgumentHelp("Statistical year, when the opening date is not known.", valueName: "year"))
    var year: String?
    @Option(help: ArgumentHelp("Case category or alias (电信网络诈骗, 电诈…); see `casetrack categories`.", valueName: "category"))
    var category: String?
    @Option(parsing: .unconditional, help: "A descriptive name.")
    var name: String?
    @Option(help: ArgumentHelp("open or closed.", valueName: "status"))
    var status: String?
    @Option(help: ArgumentHelp("Closing date (implies --status closed).", valueName: "date"))
    var closed: String?
    @Option(parsing: .unconditional, help: "Where the facts come from (a bulletin, a report).")
    var source: String?
    @Option(parsing: .unconditional, help: "Free text (may begin with -).")
    var note: String?

    var fields: CaseFields {
        CaseFields(
            city: city, code: code, opened: opened, year: year, closed: closed, category: category,
            name: name, status: status, source: source, note: note)
    }
}

/// Parses a case reference argument, so that a bad one gets the core's explanation.
@Sendable func parseReference(_ text: String) throws -> CaseReference {
    try CaseReference(parsing: text)
}
