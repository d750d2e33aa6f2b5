import ArgumentParser
import CaseTrackCore
import Foundation

/// `casetrack search`: cases ranked by how well their text matches the words given.
struct SearchCommand: ParsableCommand, WritesOutput {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Find cases by the words of their names, codes, notes, sources and their gangs' and links' names and notes.",
        discussion: """
            Every word must occur (anywhere, inside longer words too: 跑分 finds 跑分团伙); "two words" in quotes is
            one phrase; -WORD leaves out cases that contain WORD. A word needs two characters or more. Best matches
            first (SQLite's bm25); the match column shows the text found with the words marked: bold on a terminal,
            [跑分] otherwise (**跑分** in markdown).
            """)

    @Argument(
        parsing: .allUnrecognized,
        help: ArgumentHelp("The words to find; -WORD to exclude, \"a phrase\" in quotes.", valueName: "text"))
    var words: [String] = []
    @OptionGroup var filter: FilterOptions
    @Option(parsing: .unconditional, help: ArgumentHelp("Show at most this many cases (default 20).", valueName: "n"))
    var limit: Int = 20
    @OptionGroup var output: FormatOptions
    @OptionGroup var outputFile: OutputFileOptions
    @OptionGroup var store: StoreOptions

    func validate() throws {
        if limit < 1 { throw ValidationError("--limit must be 1 or more.") }
        if let option = words.first(where: { $0.hasPrefix("--") }) {
            throw ValidationError("Unknown option '\(option)'. (To search for text starting with --, put it in quotes inside the words: '\"\(option)\"'.)")
        }
        if words.isEmpty { throw ValidationError("Missing the text to search for (such as casetrack search 跑分).") }
    }

    func run() throws {
        let query = try SearchQuery(parsing: words.joined(separator: " "))
        let result = try store.openForReading().search(query, filter: filter.filter, limit: limit)
        let forPeople = output.format == .table || output.format == .markdown
        let marks: SearchTables.Marks
        switch output.format {
        case .table:
            let plain = isatty(STDOUT_FILENO) != 1 || ProcessInfo.processInfo.environment["NO_COLOR"] != nil
            marks = plain ? .brackets : .bold
        case .markdown: marks = .markdown
        default: marks = .brackets
        }
        output.print(SearchTables.list(result.hits, words: query.wanted, marks: marks, forPeople: forPeople))
        if result.total > result.hits.count {
            note("(the best \(result.hits.count) of \(result.total) matching cases; --limit N shows more)")
        } else if result.total == 0 {
            note("no case matches")
        }
    }
}
