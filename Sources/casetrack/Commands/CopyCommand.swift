import ArgumentParser
import CaseTrackCore

struct CopyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy every case of one register into another, with its history: a SQLite file into a shared PostgreSQL register, or back.",
        discussion: """
            When the destination holds none of the source's cases, the source's history comes along: \
            each of its change sets, oldest first, is applied again in the destination with the same \
            command, user and time, all in one transaction, and the result is checked against the \
            source case by case; `log`, `case show` and `undo` then work there as in the source. \
            Otherwise (the destination already holds some of the cases, or --on-conflict is given) \
            the cases are merged by the import's rules, as one change set: a new case is created, an \
            existing one changes as far as the source states, and a figure or result row that \
            differs is a conflict, refused with a listing unless --on-conflict says otherwise; the \
            source's history then stays in the source, and the copy says so. The source is only read.
            Example: casetrack copy --from xiangyang.db --to postgresql://xiangyang@db.example/casetrack
            """)

    @Option(help: ArgumentHelp("The register to read: a SQLite file or postgresql://…", valueName: "register"))
    var from: String
    @Option(help: ArgumentHelp("The register to write: a SQLite file (created when missing) or postgresql://…", valueName: "register"))
    var to: String
    @OptionGroup var merge: MergeOptions

    func run() throws {
        guard from != to else { throw ValidationError("--from and --to name the same register") }
        let source = try StoreOptions(db: from).openForReading()
        if source.isServer, ServerAddress.isServer(to), let there = try? ServerAddress(to), there.description.split(separator: "@").last == source.path.split(separator: "@").last {
            throw CLIError("--from and --to name the same register (\(there.description.split(separator: "@").last!), as two roles); nothing was copied")
        }
        let destination = merge.dryRun ? try StoreOptions(db: to).openForPreview() : try StoreOptions(db: to).openStore()
        if merge.onConflict == .refuse {
            do {
                let replay = try destination.replayHistory(of: source, dryRun: merge.dryRun)
                let what = "\(replay.changeSets) change set\(replay.changeSets == 1 ? "" : "s") (\(replay.records) record change\(replay.records == 1 ? "" : "s")) from \(source.path) with their history"
                note(merge.dryRun
                    ? "Dry run, nothing written: would copy \(what); \(replay.cases) case\(replay.cases == 1 ? "" : "s") would then be as in the source."
                    : "Copied \(what): its \(replay.cases) case\(replay.cases == 1 ? "" : "s") are here as in the source.")
                return
            } catch let notCarried as HistoryNotCarried {
                note("The history stays in the source: \(notCarried.reason). The cases are merged by the import's rules instead.")
            }
        }
        try merge.run({ options, planned in
            try destination.copyCases(from: source, options: options, planned: planned)
        }, name: source.path, format: .jsonl, encoding: .utf8)
    }
}
