import ArgumentParser
import CaseTrackCore
import Foundation

/// Parses a result id for `arrest|gang|link edit|rm`.
@Sendable func parseResultID(_ text: String) throws -> Int64 {
    guard let id = Int64(text), id > 0 else {
        throw CaseTrackError.invalidValue(field: "id", value: text, expected: "a positive whole number (see the list command)")
    }
    return id
}

/// Parses a change-set number for `undo`.
@Sendable func parseChangeSetID(_ text: String) throws -> Int64 {
    guard let id = Int64(text), id > 0 else {
        throw CaseTrackError.invalidValue(field: "change set", value: text, expected: "a positive whole number (the `change` column of `casetrack log --format tsv`)")
    }
    return id
}

/// What `list`, `edit` and `rm` need to know of a kind of result.
protocol ResultCommand {
    static var kind: ResultKind { get }
    /// "arrest batches", "gang rows", "chain-link rows".
    static var plural: String { get }
    static func table(_ store: CaseStore, _ reference: CaseReference?) throws -> Table
}

struct ResultList<Kind: ResultCommand>: ParsableCommand, WritesOutput {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "list", abstract: "List \(Kind.plural), of one case or of all.")
    }

    @Argument(help: "The case (all cases when omitted).", transform: parseReference) var ref: CaseReference?
    @OptionGroup var output: FormatOptions
    @OptionGroup var outputFile: OutputFileOptions
    @OptionGroup var store: StoreOptions

    func run() throws {
        output.print(try Kind.table(store.openForReading(), ref))
    }
}

struct ResultRemove<Kind: ResultCommand>: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "rm", abstract: "Remove one of the \(Kind.plural) by its id (asks first on a terminal; --yes without asking).")
    }

    @Argument(help: "The row's id (see the list command).", transform: parseResultID) var id: Int64
    @Flag(name: [.long, .customShort("y")], help: "Remove without asking.")
    var yes = false
    @OptionGroup var store: StoreOptions

    func run() throws {
        let opened = try store.openExisting()
        let row = try opened.describeResult(Kind.kind, id: id)
        if !yes { try Confirmation.ask("Remove \(row)?", refusing: "remove \(row)") }
        try opened.removeResult(Kind.kind, id: id)
        print("Removed \(row).")
    }
}

/// Changes to one result row, printed as the fields that changed.
func printResultEdit(_ outcome: ResultEditOutcome, kind: ResultKind, id: Int64) {
    outcome.warnings.forEach { note("warning: \($0)") }
    if outcome.changes.isEmpty {
        print("No change: \(kind.rawValue) #\(id) of \(outcome.caseLabel) already holds what was given.")
    } else {
        print("Updated \(kind.rawValue) #\(id) of \(outcome.caseLabel): "
            + outcome.changes.map { "\($0.field) \($0.before ?? "—") → \($0.after ?? "—")" }.joined(separator: ", ") + ".")
    }
}

/// Asking before a removal: on a terminal the user answers; elsewhere --yes is required.
enum Confirmation {
    static func ask(_ question: String, refusing what: String) throws {
        guard isatty(STDIN_FILENO) == 1 else { throw CaseTrackError.confirmationRequired(what) }
        FileHandle.standardError.write(Data("\(question) [y/N] ".utf8))
        let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        guard answer == "y" || answer == "yes" else {
            note("Nothing removed.")
            throw ExitCode(1)
        }
    }
}
