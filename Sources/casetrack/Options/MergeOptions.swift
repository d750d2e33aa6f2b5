import ArgumentParser
import CaseTrackCore
import Foundation

extension ConflictPolicy: ExpressibleByArgument {}

/// How an import (`import`, `extract --import`) treats the register: preview, conflicts,
/// new vocabulary, and what it reports.
struct MergeOptions: ParsableArguments {
    @Flag(help: "Check everything and print the change per case, field by field and figure by figure, and every conflict; write nothing.")
    var dryRun = false
    @Option(
        name: .customLong("on-conflict"),
        help: ArgumentHelp(
            "When a figure differs from the register's: refuse (default: nothing is imported, every conflict is listed), keep (the register's figure stays, the rest is applied) or file (the file's figure wins: a higher one adds a row for the difference, a lower one replaces that figure's rows by one row).",
            valueName: "refuse|keep|file"))
    var onConflict: ConflictPolicy = .refuse
    @Flag(help: "Create the categories and link types the input names but casetrack does not know (listed in the summary, undone with the import).")
    var addVocabulary = false
    @Flag(help: "After the import, print the change per case to standard error, as --dry-run does.")
    var verbose = false

    func options(format: ExchangeFormat?, encoding: TextEncoding) -> ImportOptions {
        ImportOptions(format: format, encoding: encoding, dryRun: dryRun, onConflict: onConflict, addVocabulary: addVocabulary)
    }

    /// Where each case's change goes: standard output for a dry run, standard error with
    /// --verbose; unchanged cases are listed only in a dry run.
    var planned: ((CaseChange) -> Void)? {
        if dryRun { return { change in print(change.lines.joined(separator: "\n")) } }
        if verbose { return { change in if change.action != .unchanged { note(change.lines.joined(separator: "\n")) } } }
        return nil
    }

    /// Runs an import and prints its summary; conflicts come back with the ways out.
    func run(_ body: (ImportOptions, ((CaseChange) -> Void)?) throws -> ImportSummary, name: String, format: ExchangeFormat?, encoding: TextEncoding) throws {
        let summary: ImportSummary
        do {
            summary = try body(options(format: format, encoding: encoding), planned)
        } catch let conflicts as ImportConflicts {
            let ways = "To keep the register's figures and apply the rest, add --on-conflict keep; to take the file's, --on-conflict file"
            if dryRun {
                // The dry run has listed every conflict on standard output already.
                let count = conflicts.conflicts.count
                throw CLIError(
                    "\(conflicts.file): dry run, nothing written: the import would be refused, since \(count) figure\(count == 1 ? "" : "s") "
                        + "differ\(count == 1 ? "s" : "") from the register (the conflict lines above).\n\(ways).")
            }
            throw CLIError(conflicts.description + "\n\(ways) (--dry-run shows what either would do).")
        }
        let counts = dryRun
            ? "Dry run, nothing written: would create \(counted(summary.created, "case")), update \(summary.updated), leave \(summary.unchanged) unchanged; \(counted(summary.resultsWritten, "result row"))"
            : "Imported: \(counted(summary.created, "case")) created, \(summary.updated) updated, \(summary.unchanged) unchanged; \(counted(summary.resultsWritten, "result row")) written"
        var lines = ["\(counts) (\(name), \(String(format: "%.2f", summary.seconds)) s)."]
        if summary.keptConflicts > 0 {
            lines.append("Kept the register's figure in \(summary.keptConflicts) conflict\(summary.keptConflicts == 1 ? "" : "s") (--on-conflict keep).")
        }
        if !summary.droppedRows.isEmpty {
            lines.append("\(dryRun ? "Would drop" : "Dropped") \(counted(summary.droppedRows.count, "result row")) that the file's figures or arrays replace:")
            lines += summary.droppedRows.map { "  \($0)" }
        }
        lines += summary.warnings.prefix(50).map { "warning: \($0)" }
        if summary.warningCount > 50 { lines.append("warning: … and \(summary.warningCount - 50) more cases like these") }
        if !summary.addedVocabulary.isEmpty {
            lines.append("\(dryRun ? "Would add" : "Added") " + summary.addedVocabulary.joined(separator: ", ") + ".")
        }
        note(lines.joined(separator: "\n"))
    }
}

/// An error whose text is exactly what the user sees.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// "1 case", "3 cases".
func counted(_ count: Int, _ noun: String) -> String {
    "\(count) \(noun)\(count == 1 ? "" : "s")"
}
