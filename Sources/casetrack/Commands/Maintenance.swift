import ArgumentParser
import CaseTrackCore

struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log", abstract: "Show the audit trail, newest first, field by field (before → after).")

    @Argument(help: "Only this case and its results (an id also finds a removed case).", transform: parseReference)
    var ref: CaseReference?
    @Option(help: ArgumentHelp("Only changes on or after this date (YYYY, YYYY-MM or YYYY-MM-DD).", valueName: "date"))
    var since: String?
    @OptionGroup var output: FormatOptions
    @OptionGroup var store: StoreOptions

    func run() throws {
        let entries = try store.openExisting().history(of: ref, since: since)
        output.print(HistoryTable.make(entries, forPeople: output.format == .table || output.format == .markdown))
    }
}

struct UndoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "undo",
        abstract: "Revert one whole change set (by default the newest) in one transaction.",
        discussion: "The undo is itself a change set, so it can be undone in turn. See the change sets with `casetrack log`.")

    @Argument(help: "The change set to revert (the `change` column of `casetrack log`).", transform: parseResultID)
    var change: Int64?
    @Flag(help: "Revert even when later change sets touched the same records (their changes to those records are lost).")
    var force = false
    @OptionGroup var store: StoreOptions

    func run() throws {
        let result = try store.openExisting().undo(change, force: force)
        print("Undid change set \(result.undone.id) (\(result.undone.command)): \(result.recordsReverted) record change(s) reverted, recorded as change set \(result.changeSet).")
    }
}

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check the database: SQLite's integrity and foreign keys, and casetrack's own invariants.")

    @OptionGroup var store: StoreOptions

    func run() throws {
        let opened = try store.openExisting()
        let problems = try opened.check()
        if problems.isEmpty {
            print("\(opened.path): no problems found.")
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
        let written = try store.openExisting().backup(to: destination)
        print("Backed up to \(written).")
    }
}
