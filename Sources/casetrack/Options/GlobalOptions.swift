import ArgumentParser
import CaseTrackCore
import Foundation

/// `--db`, which every command takes.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The database file (default: $CASETRACK_DB, else $XDG_DATA_HOME/casetrack/casetrack.db).", valueName: "path"))
    var db: String?

    /// Opens (creating on first use) the database.
    func openStore() throws -> CaseStore {
        try CaseStore(path: DatabaseLocation.resolve(option: db))
    }
}

extension OutputFormat: ExpressibleByArgument {}

/// `--format`, on every command that prints records.
struct FormatOptions: ParsableArguments {
    @Option(name: .long, help: "Output format: table, csv, tsv, json, jsonl or markdown.")
    var format: OutputFormat = .table

    func print(_ table: Table) {
        Swift.print(Renderer.render(table, as: format), terminator: "")
    }
}

/// Writes a line for people to standard error, keeping standard output for records.
func note(_ message: String) {
    var standardError = StandardError()
    Swift.print(message, to: &standardError)
}

struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        FileHandle.standardError.write(Data(string.utf8))
    }
}
