import ArgumentParser
import CaseTrackCore

struct UndoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "undo",
        abstract: "Revert one whole change set in one transaction (by default the newest one still in effect that is not an undo).",
        discussion: """
            Without CHANGE, undo takes the newest change set that is not itself an undo and has not \
            been undone (a change set re-applied by `redo` counts as in effect again). The undo is \
            recorded as a change set of its own that names the one it reverted; `casetrack redo` \
            re-applies it. Refused, naming the records, when later change sets touched the same \
            records. See the change sets with `casetrack log`; --dry-run shows what would be reverted.
            """)

    @Argument(help: "The change set to revert (the number after \"change set\" in `casetrack log`).", transform: parseChangeSetID)
    var change: Int64?
    @Flag(help: "Revert even when later change sets touched the same records (their changes to those records are lost).")
    var force = false
    @Flag(help: "Show which change set would be reverted and its changes; write nothing.")
    var dryRun = false
    @OptionGroup var store: StoreOptions

    func run() throws {
        let result = try store.openExisting().undo(change, force: force, dryRun: dryRun)
        printRevert(result, verb: "Undid", wouldVerb: "Would undo")
    }
}

struct RedoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "redo",
        abstract: "Re-apply what the newest undo still in effect reverted (the undo is itself undone).",
        discussion: "Recorded as a change set of its own; `casetrack undo` reverts it again. --dry-run shows what would be re-applied.")

    @Flag(help: "Re-apply even when later change sets touched the same records.")
    var force = false
    @Flag(help: "Show which undo would be reverted and its changes; write nothing.")
    var dryRun = false
    @OptionGroup var store: StoreOptions

    func run() throws {
        let result = try store.openExisting().redo(force: force, dryRun: dryRun)
        printRevert(result, verb: "Redid (reverted the undo)", wouldVerb: "Would redo (revert the undo)")
    }
}

/// What an undo or redo did, or would do.
func printRevert(_ result: UndoResult, verb: String, wouldVerb: String) {
    let target = result.undone
    let what = "change set \(target.id) (\(target.command), \(HistoryTable.localTime(target.at, in: .current))\(target.user.map { " by \($0)" } ?? ""))"
    if result.dryRun {
        print("\(wouldVerb) \(what): \(result.recordsReverted) record change(s) would be reverted; nothing written.")
        for entry in result.entries {
            let fields = entry.fields.map { "\($0.field): \($0.before ?? "—") → \($0.after ?? "—")" }.joined(separator: ", ")
            print("  \(entry.action) \(entry.record)\(fields.isEmpty ? "" : ": " + fields)")
        }
        if result.recordsReverted > result.entries.count { print("  … and \(result.recordsReverted - result.entries.count) more") }
    } else {
        print("\(verb) \(what): \(result.recordsReverted) record change(s) reverted, recorded as change set \(result.changeSet).")
    }
    if result.overwrittenCount > 0 {
        print("\(result.dryRun ? "Would overwrite" : "Overwrote") \(result.overwrittenCount) later change(s) (--force):")
        for name in result.overwritten { print("  \(name)") }
        if result.overwrittenCount > result.overwritten.count { print("  … and \(result.overwrittenCount - result.overwritten.count) more") }
    }
}

struct CheckCommand: ParsableCommand, WritesOutput {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check the database: SQLite's integrity and foreign keys, casetrack's invariants, its triggers and the history's digest chain.",
        discussion: """
            Exits 1 on any problem. The last line names the newest change set's digest (the chain \
            head): note it, and a later check tells whether the history before it was rewritten. \
            --repair re-creates missing or altered triggers, recorded as a change set of its own.
            """)

    @Flag(help: "Re-create missing or altered triggers and views (recorded in the history), then check.")
    var repair = false
    @OptionGroup var outputFile: OutputFileOptions
    @OptionGroup var store: StoreOptions

    func run() throws {
        // FTS5 runs its own integrity check as a write statement (rolled back), so check opens for writing.
        let opened = try store.openExisting()
        if repair {
            let repaired = try opened.repair()
            note(repaired.isEmpty ? "Nothing to repair." : "Re-created " + repaired.joined(separator: ", ") + ".")
        }
        let problems = try opened.check()
        if problems.isEmpty {
            print("\(opened.path): no problems found.")
            if let head = try opened.chainHead() { print("chain head: change set \(head.changeSet) \(head.digest)") }
            return
        }
        for problem in problems { note(problem) }
        note("\(problems.count) problem\(problems.count == 1 ? "" : "s") found in \(opened.path).")
        throw ExitCode(1)
    }
}

struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Write a consistent copy of the database (safe while others write); the copy is private (0600).")

    @Argument(help: ArgumentHelp("Where to write the copy: a new file, or an existing folder (the copy is then named casetrack-YYYYMMDD-HHMMSS.db).", valueName: "dest"))
    var destination: String
    @OptionGroup var store: StoreOptions

    func run() throws {
        let written = try store.openForReading().backup(to: destination)
        print("Backed up to \(written).")
    }
}
