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

    @Argument(help: ArgumentHelp(
        "The texts to read: files, folders (their .txt files, in name order) or - for standard input.", valueName: "file"))
    var files: [String] = []
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
        if importCases && outputFile.output != nil { throw ValidationError("-o goes without --import (an import prints no documents).") }
        if files.isEmpty { throw ValidationError("Give a file, a folder or - for standard input.") }
        if files.filter({ $0 == "-" }).count > 1 { throw ValidationError("Standard input (-) can be read once.") }
    }

    func run() throws {
        let defaultYear = try year.map { try StatisticalYear.parse($0) }
        let paths = try BulletinText.paths(files)
        let opened = try openStore()
        let categoryName = try category.map { try opened.resolve($0, in: .category) }
        let extractor = try opened.bulletinExtractor()
        var reading = BulletinReading()
        for path in paths {
            let text = try BulletinText.read(path: path, encoding: encoding)
            let named = reading.statements
            extractor.read(text, file: BulletinText.name(path), defaultYear: defaultYear, category: categoryName, into: &reading)
            if reading.statements == named {
                note("\(BulletinText.name(path)): no special case is mentioned (a city or county, a quoted code and a case word such as 专案).")
            }
        }
        for found in reading.notes { note(found.description) }
        if reading.omittedNotes > 0 { note("… and \(reading.omittedNotes) more notes like these.") }
        let cases = reading.cases
        let name = paths.count == 1 ? BulletinText.name(paths[0]) : "\(paths.count) files"
        if cases.isEmpty {
            if format == .json && !importCases { print("[]") }
            return
        }
        let yearless = cases.filter { $0.year == nil }
        if !yearless.isEmpty {
            throw CaseTrackError.input(
                "the text gives no year for "
                    + yearless.map { "\($0.label) (\($0.mention.file ?? name), offset \($0.mention.offset))" }.joined(separator: ", ")
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
        importCases && !merge.dryRun ? try store.openStore() : importCases ? try store.openForPreview() : try store.openForVocabulary()
    }
}
