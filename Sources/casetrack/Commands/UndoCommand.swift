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
