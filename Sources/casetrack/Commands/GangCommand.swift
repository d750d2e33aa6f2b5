import ArgumentParser
import CaseTrackCore

struct GangCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gang", abstract: "Record, list, correct and remove criminal gangs dismantled (打掉犯罪团伙).",
        subcommands: [Add.self, ResultList<GangCommand>.self, Edit.self, ResultRemove<GangCommand>.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record dismantled gangs in a case: one named gang or a total.")

        @Argument(help: "The case.", transform: parseReference) var ref: CaseReference
        @Option(parsing: .unconditional, help: "How many gangs (default 1).") var count: String?
        @Option(parsing: .unconditional, help: "The gang's name.") var name: String?
        @Option(parsing: .unconditional, help: "How many members it had.") var members: String?
        @Option(help: "YYYY, YYYY-MM or YYYY-MM-DD (2023-3-3, 2023/3/3, 20230303 and 2023年3月3日 are read too).") var date: String?
        @Option(parsing: .unconditional, help: "Free text (may begin with -).") var note: String?
        @OptionGroup var store: StoreOptions

        func run() throws {
            let added = try store.openExisting().addGang(
                to: ref, GangFields(count: count, name: name, members: members, date: date, note: note))
            added.warnings.forEach { casetrack.note("warning: \($0)") }
            print("Recorded \(added.record.count) gang(s) in \(added.caseLabel) (gang id \(added.record.id ?? 0)).")
        }
    }

    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Correct a gang row: only the given fields change (an empty value clears name, members, date or note).")

        @Argument(help: "The row's id (see `casetrack gang list`).", transform: parseResultID) var id: Int64
        @Option(parsing: .unconditional, help: "How many gangs.") var count: String?
        @Option(parsing: .unconditional, help: "The gang's name.") var name: String?
        @Option(parsing: .unconditional, help: "How many members it had.") var members: String?
        @Option(help: "YYYY, YYYY-MM or YYYY-MM-DD (2023-3-3, 2023/3/3, 20230303 and 2023年3月3日 are read too).") var date: String?
        @Option(parsing: .unconditional, help: "Free text (may begin with -).") var note: String?
        @OptionGroup var store: StoreOptions

        func run() throws {
            let outcome = try store.openExisting().editResult(
                .gang, id: id, ResultEdit(count: count, date: date, note: note, name: name, members: members))
            printResultEdit(outcome, kind: .gang, id: id)
        }
    }
}

extension GangCommand: ResultCommand {
    static let kind = ResultKind.gang
    static let plural = "gang rows"
    static func table(_ store: CaseStore, _ reference: CaseReference?) throws -> Table { ResultTables.gangs(try store.gangs(of: reference)) }
}
