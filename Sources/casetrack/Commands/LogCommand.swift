import ArgumentParser
import CaseTrackCore
import Foundation

struct LogCommand: ParsableCommand, WritesOutput {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Show the history, newest change set first, field by field (before → after).",
        discussion: """
            Times are local, with their offset from UTC ($TZ decides the zone). An undo or redo names \
            the change set it reverted ([reverts N]). On a terminal the output goes through a pager \
            ($PAGER, else less), as git's does; --no-pager prints straight to the terminal. Rows are \
            printed as they are read, so a long history starts at once and memory stays flat: a \
            change set's updates and removals in the order they were made, then the rows it added, \
            table by table and case by case.
            """)

    @Argument(help: "Only this case and its results (an id also finds a removed case).", transform: parseReference)
    var ref: CaseReference?
    @Option(help: ArgumentHelp("Only changes on or after this date (YYYY, YYYY-MM or YYYY-MM-DD; 2023-3-3, 20230303 and 2023年3月3日 are read too).", valueName: "date"))
    var since: String?
    @Option(parsing: .unconditional, help: ArgumentHelp("Show at most this many change sets.", valueName: "n"))
    var limit: Int?
    @Flag(help: "Do not page the output on a terminal.")
    var noPager = false
    @OptionGroup var output: FormatOptions
    @OptionGroup var outputFile: OutputFileOptions
    @OptionGroup var store: StoreOptions

    func validate() throws {
        if let limit, limit < 1 { throw ValidationError("--limit must be 1 or more.") }
    }

    func run() throws {
        let opened = try store.openForReading()
        if !noPager && outputFile.output == nil { Pager.start() }
        defer { Pager.finish() }
        let sink = BufferedOutput()
        if output.format == .table {
            // For people: one block per change set, fitted to the terminal; piped or written to
            // a file, lines are not broken, so that grep finds what it looks for.
            let width = Pager.terminalWidth ?? (isatty(STDOUT_FILENO) == 1 ? Terminal.width : Int.max / 2)
            var lastSet: Int64?
            try opened.history(of: ref, since: since, limit: limit) { entry in
                let opens = entry.changeSet.id != lastSet
                if opens && lastSet != nil { try sink.write("\n") }
                lastSet = entry.changeSet.id
                try sink.write(HistoryTable.text(entry, opensChangeSet: opens, width: width))
                return true
            }
            try sink.finish()
            if lastSet == nil {
                // An empty page would read as a failure: say why there is nothing.
                note(ref == nil && since == nil
                    ? "No change is recorded in \(opened.path) yet (a database upgraded from the first version keeps no history from before)."
                    : "No recorded change matches.")
            }
            return
        }
        var table = HistoryTable.streaming(output.format)
        try sink.write(table.header())
        try opened.history(of: ref, since: since, limit: limit) { entry in
            try sink.write(table.rows(HistoryTable.rows(entry, forPeople: output.format == .markdown)))
            return true
        }
        try sink.write(table.footer())
        try sink.finish()
    }
}
