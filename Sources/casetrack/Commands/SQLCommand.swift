import ArgumentParser
import CaseTrackCore
import Foundation

/// `casetrack sql`: the user's own SELECT over the register, on a read-only connection.
struct SQLCommand: ParsableCommand, WritesOutput {
    static let configuration = CommandConfiguration(
        commandName: "sql",
        abstract: "Run read-only SQL over the register (the views cases_v, results_v, totals_v are the stable interface).",
        discussion: """
            The SQL comes as an argument, from a file (-f FILE) or from standard input (- or no argument on a pipe).
            It runs on a read-only connection: a statement that would write, ATTACH, VACUUM or a PRAGMA that sets
            anything is refused and the database stays byte for byte as it was. Each statement that returns
            columns prints a table.
            """)

    @Argument(help: ArgumentHelp("The SQL, or - to read it from standard input.", valueName: "sql"))
    var sql: String?
    @Option(name: [.customShort("f"), .long], help: ArgumentHelp("Read the SQL from this file.", valueName: "file"))
    var file: String?
    @OptionGroup var output: FormatOptions
    @OptionGroup var outputFile: OutputFileOptions
    @OptionGroup var store: StoreOptions

    func validate() throws {
        if sql != nil && file != nil { throw ValidationError("Give the SQL either as an argument or with -f FILE, not both.") }
        if sql == nil && file == nil && isatty(STDIN_FILENO) == 1 {
            throw ValidationError("Missing the SQL (such as casetrack sql \"SELECT * FROM cases_v LIMIT 5\", -f FILE, or - for standard input).")
        }
    }

    func run() throws {
        let text: String
        if let file {
            guard let data = FileManager.default.contents(atPath: file) else { throw CLIError("cannot read \(file)") }
            text = String(decoding: data, as: UTF8.self)
        } else if let sql, sql != "-" {
            text = sql
        } else {
            text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        }
        let tables = try store.openForReading().runReadOnlySQL(text)
        for (index, table) in tables.enumerated() {
            if index > 0 && (output.format == .table || output.format == .markdown) { print() }
            output.print(table)
        }
    }
}
