import ArgumentParser
import CaseTrackCore

struct LinkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "link", abstract: "Record, list, correct and remove links of the criminal chain destroyed (打掉犯罪环节).",
        subcommands: [Add.self, ResultList<LinkCommand>.self, Edit.self, ResultRemove<LinkCommand>.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record destroyed chain links in a case: one link or a total.")

        @Argument(help: "The case.", transform: parseReference) var ref: CaseReference
        @Option(parsing: .unconditional, help: "How many links (default 1).") var count: String?
        @Option(help: "Link type or alias (引流推广, 两卡, 洗钱…); see `casetrack link-types`.") var type: String?
        @Option(parsing: .unconditional, help: "A name for the link.") var name: String?
        @Option(help: "YYYY, YYYY-MM or YYYY-MM-DD (2023-3-3, 2023/3/3, 20230303 and 2023年3月3日 are read too).") var date: String?
        @Option(parsing: .unconditional, help: "Free text (may begin with -).") var note: String?
        @OptionGroup var store: StoreOptions

        func run() throws {
            let added = try store.openExisting().addLink(
                to: ref, LinkFields(count: count, type: type, name: name, date: date, note: note))
            added.warnings.forEach { casetrack.note("warning: \($0)") }
            print("Recorded \(added.record.count) chain link(s) in \(added.caseLabel) (link id \(added.record.id ?? 0)).")
        }
    }

    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Correct a chain-link row: only the given fields change (an empty value clears type, name, date or note).")

        @Argument(help: "The row's id (see `casetrack link list`).", transform: parseResultID) var id: Int64
        @Option(parsing: .unconditional, help: "How many links.") var count: String?
        @Option(help: "Link type or alias; see `casetrack link-types`.") var type: String?
        @Option(parsing: .unconditional, help: "A name for the link.") var name: String?
        @Option(help: "YYYY, YYYY-MM or YYYY-MM-DD (2023-3-3, 2023/3/3, 20230303 and 2023年3月3日 are read too).") var date: String?
        @Option(parsing: .unconditional, help: "Free text (may begin with -).") var note: String?
        @OptionGroup var store: StoreOptions

        func run() throws {
            let outcome = try store.openExisting().editResult(
                .link, id: id, ResultEdit(count: count, date: date, note: note, name: name, type: type))
            printResultEdit(outcome, kind: .link, id: id)
        }
    }
}

extension LinkCommand: ResultCommand {
    static let kind = ResultKind.link
    static let plural = "chain-link rows"
    static func table(_ store: CaseStore, _ reference: CaseReference?) throws -> Table { ResultTables.links(try store.links(of: reference)) }
}
