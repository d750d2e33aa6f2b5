import ArgumentParser
import CaseTrackCore
import Foundation

/// `--db`, which every command takes.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The database file, or a shared register at postgresql://USER@HOST[:PORT]/DB (default: $CASETRACK_DB, else $XDG_DATA_HOME/casetrack/casetrack.db).", valueName: "path"))
    var db: String?

    /// Opens the database for a command that writes, creating it on first use (and saying so).
    func openStore() throws -> CaseStore {
        let path = try DatabaseLocation.resolve(option: db)
        let missing = CreatedDatabase.missingFolders(of: path)
        let store = try CaseStore(path: path, mode: .creating)
        if store.created && !store.isServer { CreatedDatabase.register(path, folders: missing) }
        if store.created && store.isServer { CreatedDatabase.register(server: store) }
        return Self.sayingIfUpgraded(store)
    }

    /// An older file is upgraded in place by whichever command opens it first, a read included:
    /// its records stay as they were, but its bytes change, so the command says so.
    static func sayingIfUpgraded(_ store: CaseStore) -> CaseStore {
        if let from = store.upgradedFrom {
            note("upgraded \(store.path) in place from schema \(from) to the current one (its records are unchanged)")
        }
        return store
    }

    /// Opens the database for a command that changes it but needs it to exist: a missing one is
    /// an error, and nothing (no file, no folder) is created.
    func openExisting() throws -> CaseStore {
        Self.sayingIfUpgraded(try CaseStore(path: DatabaseLocation.resolve(option: db), mode: .existing))
    }

    /// Opens the database for a command that only reads: a missing one is an error, nothing is
    /// created, and the file is opened read-only.
    func openForReading() throws -> CaseStore {
        Self.sayingIfUpgraded(try CaseStore(path: DatabaseLocation.resolve(option: db), mode: .reading))
    }

    /// For a dry run: the database when there is one, else an empty register in memory, so that
    /// a preview never creates a file.
    func openForPreview() throws -> CaseStore {
        let path = try DatabaseLocation.resolve(option: db)
        if ServerAddress.isServer(path) { return try CaseStore.existingOrInMemory(path, mode: .existing) }
        return DatabaseLocation.isRegularFile(path) ? try openExisting() : try CaseStore.inMemory()
    }

    /// For listings of the built-in vocabularies: the database when there is one, else the
    /// vocabularies casetrack starts with, without creating anything.
    func openForVocabulary() throws -> CaseStore {
        let path = try DatabaseLocation.resolve(option: db)
        if ServerAddress.isServer(path) { return try CaseStore.existingOrInMemory(path, mode: .reading) }
        return DatabaseLocation.isRegularFile(path) ? try openForReading() : try CaseStore.inMemory()
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

extension StoreOptions {
    /// A register named by another option (`copy --from/--to`) rather than by --db.
    init(db: String) {
        self.init()
        self.db = db
    }
}
