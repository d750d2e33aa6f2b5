import ArgumentParser
import CaseTrackCore
import Foundation

struct CaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "case", abstract: "Add, list, show, edit and remove cases.",
        subcommands: [Add.self, List.self, Show.self, Edit.self, Remove.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register a case.",
            usage: "casetrack case add --city C --code K (--opened DATE | --year Y) [options]")

        @OptionGroup var fields: CaseFieldOptions
        @OptionGroup var store: StoreOptions
        @Option(help: "Print the new case as table, csv, tsv, json, jsonl or markdown instead of a sentence.")
        var format: OutputFormat?

        func validate() throws {
            if fields.city == nil { throw ValidationError("Missing --city (such as --city 襄阳).") }
            if fields.code == nil { throw ValidationError("Missing --code (such as --code 1.13).") }
            if fields.opened == nil && fields.year == nil {
                throw ValidationError("Give the opening date (--opened 2023-01-13) or the year (--year 2023).")
            }
        }

        func run() throws {
            let added = try store.openStore().addCase(fields.fields)
            if let format {
                FormatOptions(format: format).print(CaseTables.list([added], forPeople: format == .table))
            } else {
                print("Added case \(added.fullLabel) (id \(added.id)).")
            }
        }
    }

    struct List: ParsableCommand, WritesOutput {
        static let configuration = CommandConfiguration(abstract: "List cases with their totals.")

        @OptionGroup var filter: FilterOptions
        @Option(help: ArgumentHelp("Only cases whose text holds these words (as casetrack search reads them).", valueName: "text"))
        var search: String?
        @Option(parsing: .unconditional, help: ArgumentHelp("Order by this field (any JSON field of a case row: arrests, opened, city…); -FIELD for descending.", valueName: "field"))
        var sort: String?
        @Option(parsing: .unconditional, help: ArgumentHelp("Show at most this many cases.", valueName: "n"))
        var limit: Int?
        @Flag(help: "On a terminal, show every column however wide (by default the table fits the terminal).")
        var wide = false
        @OptionGroup var output: FormatOptions
        @OptionGroup var outputFile: OutputFileOptions
        @OptionGroup var store: StoreOptions

        func validate() throws {
            if let limit, limit < 1 { throw ValidationError("--limit must be 1 or more.") }
        }

        func run() throws {
            var cases = try store.openForReading().cases(matching: { var f = filter.filter; f.search = search; return f }())
            if let sort { cases = try CaseTables.sorted(cases, by: sort) }
            if let limit { cases = Array(cases.prefix(limit)) }
            let forPeople = output.format == .table || output.format == .markdown
            var table = CaseTables.list(cases, forPeople: forPeople && !wide)
            if wide && forPeople { table = CaseTables.list(cases, forPeople: false) }
            if output.format == .table, !wide, isatty(STDOUT_FILENO) == 1 {
                let (fitted, dropped) = table.fitted(
                    to: Terminal.width, shorten: ["name", "category"],
                    dropOrder: ["opened", "status", "category", "name", "links", "gangs", "arrests_extended", "year"])
                table = fitted
                if !dropped.isEmpty { note("(\(dropped.joined(separator: ", ")) left out to fit the terminal; --wide shows every column)") }
            }
            output.print(table)
        }
    }

    struct Show: ParsableCommand, WritesOutput {
        static let configuration = CommandConfiguration(abstract: "Show one case with all its results.")

        @Argument(help: "The case: 襄阳/1.13, 襄阳\"1.13\", with @YEAR if needed, or its id.", transform: parseReference)
        var ref: CaseReference
        @OptionGroup var output: FormatOptions
        @OptionGroup var outputFile: OutputFileOptions
        @OptionGroup var store: StoreOptions

        func run() throws {
            let detail = try store.openForReading().caseDetail(ref)
            switch output.format {
            case .table:
                print(CaseTables.showText(detail), terminator: "")
            case .json, .jsonl:
                print(CaseTables.showJSON(detail, pretty: output.format == .json))
            default:
                output.print(CaseTables.list([detail.summary], forPeople: output.format == .markdown))
            }
        }
    }

    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change a case's fields (any option of `case add`; an empty value clears an optional field).")

        @Argument(help: "The case to change.", transform: parseReference)
        var ref: CaseReference
        @OptionGroup var fields: CaseFieldOptions
        @OptionGroup var store: StoreOptions
        @Option(help: "Print the changed case as table, csv, tsv, json, jsonl or markdown instead of a sentence.")
        var format: OutputFormat?

        func validate() throws {
            if fields.fields.isEmpty { throw ValidationError("Nothing to change: give at least one option such as --name or --status.") }
        }

        func run() throws {
            let outcome = try store.openExisting().editCase(ref, fields.fields)
            let changed = outcome.summary
            if let format {
                FormatOptions(format: format).print(CaseTables.list([changed], forPeople: format == .table))
            } else if outcome.changes.isEmpty {
                print("No change: case \(changed.fullLabel) (id \(changed.id)) already holds what was given.")
            } else {
                print("Updated case \(changed.fullLabel) (id \(changed.id)): "
                    + outcome.changes.map { "\($0.field) \($0.before ?? "—") → \($0.after ?? "—")" }.joined(separator: ", ") + ".")
            }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rm", abstract: "Remove a case and all its results (asks first on a terminal).")

        @Argument(help: "The case to remove.", transform: parseReference)
        var ref: CaseReference
        @Flag(name: [.long, .customShort("y")], help: "Remove without asking.")
        var yes = false
        @OptionGroup var store: StoreOptions

        func run() throws {
            let opened = try store.openExisting()
            let target = try opened.findCase(ref)
            if !yes {
                try Confirmation.ask(
                    "Remove case \(target.fullLabel) with \(target.arrests) arrests, \(target.gangs) gangs and \(target.links) chain links?",
                    refusing: "remove case \(target.fullLabel)")
            }
            let removed = try opened.removeCase(.id(target.id))
            print("Removed case \(removed.fullLabel) (id \(removed.id)).")
        }
    }
}

/// The filters of `case list` (and, later, `export`).
struct FilterOptions: ParsableArguments {
    @Option(help: "Only this division and the counties under it (--city 孝感 includes 汉川).")
    var city: String?
    @Option(help: "Only this statistical year.")
    var year: String?
    @Option(help: "Only this category (name or alias).")
    var category: String?
    @Option(help: "Only open or closed cases.")
    var status: String?

    var filter: CaseFilter { CaseFilter(city: city, year: year, category: category, status: status) }
}
