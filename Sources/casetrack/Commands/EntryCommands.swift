import ArgumentParser
import CaseTrackCore

/// Parses a result id for `arrest|gang|link rm`.
@Sendable func parseResultID(_ text: String) throws -> Int64 {
    guard let id = Int64(text), id > 0 else {
        throw CaseTrackError.invalidValue(field: "id", value: text, expected: "a positive whole number (see the list command)")
    }
    return id
}

/// What `list` and `rm` need to know of a kind of result.
protocol ResultCommand {
    static var kind: ResultKind { get }
    /// "arrest batches", "gang rows", "chain-link rows".
    static var plural: String { get }
    static func table(_ store: CaseStore, _ reference: CaseReference?) throws -> Table
}

struct ResultList<Kind: ResultCommand>: ParsableCommand, WritesOutput {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "list", abstract: "List \(Kind.plural), of one case or of all.")
    }

    @Argument(help: "The case (all cases when omitted).", transform: parseReference) var ref: CaseReference?
    @OptionGroup var output: FormatOptions
        @OptionGroup var outputFile: OutputFileOptions
    @OptionGroup var store: StoreOptions

    func run() throws {
        output.print(try Kind.table(store.openExisting(), ref))
    }
}

struct ResultRemove<Kind: ResultCommand>: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "rm", abstract: "Remove one of the \(Kind.plural) by its id.")
    }

    @Argument(help: "The row's id (see the list command).", transform: parseResultID) var id: Int64
    @OptionGroup var store: StoreOptions

    func run() throws {
        try store.openExisting().removeResult(Kind.kind, id: id)
        print("Removed \(Kind.kind.rawValue) row \(id).")
    }
}

struct ArrestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "arrest", abstract: "Record, list and remove batches of suspects arrested (抓获).",
        subcommands: [Add.self, ResultList<ArrestCommand>.self, ResultRemove<ArrestCommand>.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record a batch of arrests in a case.")

        @Argument(help: "The case.", transform: parseReference) var ref: CaseReference
        @Option(parsing: .unconditional, help: "How many suspects (1 to 1,000,000).") var count: String
        @Option(help: "initial (the first sweep) or extended (扩线深挖).") var phase: String?
        @Option(help: "YYYY, YYYY-MM or YYYY-MM-DD; without it the batch counts in the case's period.") var date: String?
        @Option(help: "Free text.") var note: String?
        @OptionGroup var store: StoreOptions

        func run() throws {
            let added = try store.openExisting().addArrest(to: ref, ArrestFields(count: count, phase: phase, date: date, note: note))
            added.warnings.forEach { casetrack.note("warning: \($0)") }
            print("Recorded \(added.record.count) \(added.record.phase.rawValue) arrests in \(added.caseLabel) (arrest id \(added.record.id ?? 0)).")
        }
    }
}

extension ArrestCommand: ResultCommand {
    static let kind = ResultKind.arrest
    static let plural = "arrest batches"
    static func table(_ store: CaseStore, _ reference: CaseReference?) throws -> Table { ResultTables.arrests(try store.arrests(of: reference)) }
}

struct GangCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gang", abstract: "Record, list and remove criminal gangs dismantled (打掉犯罪团伙).",
        subcommands: [Add.self, ResultList<GangCommand>.self, ResultRemove<GangCommand>.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record dismantled gangs in a case: one named gang or a total.")

        @Argument(help: "The case.", transform: parseReference) var ref: CaseReference
        @Option(parsing: .unconditional, help: "How many gangs (default 1).") var count: String?
        @Option(help: "The gang's name.") var name: String?
        @Option(parsing: .unconditional, help: "How many members it had.") var members: String?
        @Option(help: "YYYY, YYYY-MM or YYYY-MM-DD.") var date: String?
        @Option(help: "Free text.") var note: String?
        @OptionGroup var store: StoreOptions

        func run() throws {
            let added = try store.openExisting().addGang(
                to: ref, GangFields(count: count, name: name, members: members, date: date, note: note))
            added.warnings.forEach { casetrack.note("warning: \($0)") }
            print("Recorded \(added.record.count) gang(s) in \(added.caseLabel) (gang id \(added.record.id ?? 0)).")
        }
    }
}

extension GangCommand: ResultCommand {
    static let kind = ResultKind.gang
    static let plural = "gang rows"
    static func table(_ store: CaseStore, _ reference: CaseReference?) throws -> Table { ResultTables.gangs(try store.gangs(of: reference)) }
}

struct LinkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "link", abstract: "Record, list and remove links of the criminal chain destroyed (打掉犯罪环节).",
        subcommands: [Add.self, ResultList<LinkCommand>.self, ResultRemove<LinkCommand>.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record destroyed chain links in a case: one link or a total.")

        @Argument(help: "The case.", transform: parseReference) var ref: CaseReference
        @Option(parsing: .unconditional, help: "How many links (default 1).") var count: String?
        @Option(help: "Link type or alias (引流推广, 两卡, 洗钱…); see `casetrack link-types`.") var type: String?
        @Option(help: "A name for the link.") var name: String?
        @Option(help: "YYYY, YYYY-MM or YYYY-MM-DD.") var date: String?
        @Option(help: "Free text.") var note: String?
        @OptionGroup var store: StoreOptions

        func run() throws {
            let added = try store.openExisting().addLink(
                to: ref, LinkFields(count: count, type: type, name: name, date: date, note: note))
            added.warnings.forEach { casetrack.note("warning: \($0)") }
            print("Recorded \(added.record.count) chain link(s) in \(added.caseLabel) (link id \(added.record.id ?? 0)).")
        }
    }
}

extension LinkCommand: ResultCommand {
    static let kind = ResultKind.link
    static let plural = "chain-link rows"
    static func table(_ store: CaseStore, _ reference: CaseReference?) throws -> Table { ResultTables.links(try store.links(of: reference)) }
}
