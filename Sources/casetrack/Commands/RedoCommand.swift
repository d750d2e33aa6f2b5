import ArgumentParser
import CaseTrackCore

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
