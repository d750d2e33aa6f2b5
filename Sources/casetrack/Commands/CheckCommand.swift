import ArgumentParser
import CaseTrackCore

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
