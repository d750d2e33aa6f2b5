import ArgumentParser
import CaseTrackCore

struct ArrestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "arrest", abstract: "Record, list, correct and remove batches of suspects arrested (抓获).",
        subcommands: [Add.self, ResultList<ArrestCommand>.self, Edit.self, ResultRemove<ArrestCommand>.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record a batch of arrests in a case.")

        @Argument(help: "The case.", transform: parseReference) var ref: CaseReference
        @Option(parsing: .unconditional, help: "How many suspects (1 to 1,000,000).") var count: String
        @Option(help: "initial (the first sweep) or extended (扩线深挖).") var phase: String?
        @Option(help: "YYYY, YYYY-MM or YYYY-MM-DD (2023-3-3, 2023/3/3, 20230303 and 2023年3月3日 are read too); without it the batch counts in the case's period.") var date: String?
        @Option(parsing: .unconditional, help: "Free text (may begin with -).") var note: String?
        @OptionGroup var store: StoreOptions

        func run() throws {
            let added = try store.openExisting().addArrest(to: ref, ArrestFields(count: count, phase: phase, date: date, note: note))
            added.warnings.forEach { casetrack.note("warning: \($0)") }
            print("Recorded \(added.record.count) \(added.record.phase.rawValue) arrests in \(added.caseLabel) (arrest id \(added.record.id ?? 0)).")
        }
    }

    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Correct an arrest batch: only the given fields change (an empty value clears date or note).")

        @Argument(help: "The batch's id (see `casetrack arrest list`).", transform: parseResultID) var id: Int64
        @Option(parsing: .unconditional, help: "How many suspects (1 to 1,000,000).") var count: String?
        @Option(help: "initial or extended (扩线深挖).") var phase: String?
        @Option(help: "YYYY, YYYY-MM or YYYY-MM-DD (2023-3-3, 2023/3/3, 20230303 and 2023年3月3日 are read too).") var date: String?
        @Option(parsing: .unconditional, help: "Free text (may begin with -).") var note: String?
        @OptionGroup var store: StoreOptions

        func run() throws {
            let outcome = try store.openExisting().editResult(.arrest, id: id, ResultEdit(count: count, phase: phase, date: date, note: note))
            printResultEdit(outcome, kind: .arrest, id: id)
        }
    }
}

extension ArrestCommand: ResultCommand {
    static let kind = ResultKind.arrest
    static let plural = "arrest batches"
    static func table(_ store: CaseStore, _ reference: CaseReference?) throws -> Table { ResultTables.arrests(try store.arrests(of: reference)) }
}
