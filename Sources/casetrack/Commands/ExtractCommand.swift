import ArgumentParser
import CaseTrackCore
import Foundation

/// The formats of `extract`.
enum ExtractFormat: String, CaseIterable, ExpressibleByArgument {
    case jsonl, json, table
}

struct ExtractCommand: ParsableCommand, WritesOutput {
    static let configuration = CommandConfiguration(
        commandName: "extract",
        abstract: "Read special cases and their figures out of bulletin text into reviewable import documents.",
        discussion: """
            Every figure carries the sentence it came from ("evidence"). Review with --format table, \
            then apply with --import (one transaction; --dry-run to preview).
            """)

    @Argument(help: ArgumentHelp("The text to read, or - for standard input.", valueName: "file"))
    var file: String
    @Option(help: "The year of cases whose text gives none.") var year: String?
    @Option(help: "Where the text comes from (stored as each case's source).") var source: String?
    @Option(help: "The category of every case found, instead of what the case words imply.") var category: String?
    @Option(help: "jsonl (default), json or table (for review).") var format: ExtractFormat = .jsonl
    @Option(help: "utf-8 or gb18030.") var encoding: TextEncoding = .utf8
    @Flag(name: .customLong("import"), help: "Import the cases found, in one transaction.") var importCases = false
    @OptionGroup var merge: MergeOptions
    @OptionGroup var outputFile: OutputFileOptions
    @OptionGroup var store: StoreOptions

    func validate() throws {
        if !importCases {
            if merge.dryRun { throw ValidationError("--dry-run goes with --import.") }
            if merge.onConflict != .refuse { throw ValidationError("--on-conflict goes with --import.") }
            if merge.addVocabulary { throw ValidationError("--add-vocabulary goes with --import.") }
            if merge.verbose { throw ValidationError("--verbose goes with --import.") }
        }
    }

    func run() throws {
        let defaultYear = try year.map { try StatisticalYear.parse($0) }
        let text = try BulletinText.read(path: file, encoding: encoding)
        let opened = try openStore()
        let categoryName = try category.map { try opened.resolve($0, in: .category) }
        let cases = try opened.bulletinExtractor().extract(text, defaultYear: defaultYear, category: categoryName)
        let name = file == "-" ? "standard input" : file
        if cases.isEmpty {
            note("\(name): no special case is mentioned (a city or county, a quoted code and a case word such as 专案).")
            if format == .json && !importCases { print("[]") }
            return
        }
        let yearless = cases.filter { $0.year == nil }
        if !yearless.isEmpty {
            throw CaseTrackError.input(
                "\(name): the text gives no year for " + yearless.map { "\($0.label) (offset \($0.mention.offset))" }.joined(separator: ", ")
                    + "; give --year")
        }
        let documents = cases.map { $0.documentJSON(source: source) }
        if importCases {
            try merge.run({ options, planned in
                try opened.importDocuments(data: Data(documents.joined(separator: "\n").utf8), name: name, options: options, planned: planned)
            }, name: name, format: .jsonl, encoding: .utf8)
            return
        }
        switch format {
        case .jsonl: print(documents.joined(separator: "\n"))
        case .json: print("[\n" + documents.joined(separator: ",\n") + "\n]")
        case .table: print(Renderer.render(ExtractTable.make(cases), as: .table), terminator: "")
        }
    }

    /// Reading needs only the vocabularies: without --import an absent database is not created.
    private func openStore() throws -> CaseStore {
        importCases ? try store.openStore() : try store.openForVocabulary()
    }
}
