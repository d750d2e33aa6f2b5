import ArgumentParser
import CaseTrackCore

struct CopyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy every case of one register into another: a SQLite file into a shared PostgreSQL register, or back.",
        discussion: """
            The cases are merged by the import's rules, in one transaction: a new case is created, an \
            existing one changes as far as the source states, and a figure that differs is a conflict, \
            refused with a listing unless --on-conflict says otherwise. The source is only read. The \
            copy is one change set in the destination (undone by `casetrack undo`); the source's own \
            history stays in the source.
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
        let destination = merge.dryRun ? try StoreOptions(db: to).openForPreview() : try StoreOptions(db: to).openStore()
        try merge.run({ options, planned in
            try destination.copyCases(from: source, options: options, planned: planned)
        }, name: source.path, format: .jsonl, encoding: .utf8)
    }
}
