import ArgumentParser
import CaseTrackCore

struct AdminCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admin", abstract: "Set up a shared PostgreSQL register: who may write what.",
        subcommands: [GrantBureau.self, Grants.self])

    struct GrantBureau: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "grant-bureau",
            abstract: "Let a database role write the cases of one city bureau (and its counties), or of the whole province.",
            discussion: """
                Run as the register's owner. The role is created when missing (give it a password with \
                psql's \\password). Every role reads the whole register; a write outside its division is \
                refused with a message naming the division, and nothing is written.
                Example: casetrack admin grant-bureau xiangyang --city 襄阳 --db postgresql://owner@db.example/casetrack
                """)

        @Argument(help: "The role, such as xiangyang.") var role: String
        @Option(help: "The city bureau's division (襄阳, 420600, xiangyang).") var city: String?
        @Flag(help: "Let the role write every case (the provincial bureau).") var province = false
        @OptionGroup var store: StoreOptions

        func validate() throws {
            if (city == nil) == !province {
                throw ValidationError(province ? "give either --city or --province, not both" : "give --city CITY, or --province for the provincial bureau")
            }
        }

        func run() throws {
            let grant = try store.openExisting().grantBureau(role, city: province ? nil : city)
            let writes = { (city: String?) in city.map { "the cases of \($0) and the counties under it" } ?? "every case in the province" }
            print("\(grant.role) may write \(writes(grant.city))")
            if let replaced = grant.replaced {
                note("\(grant.role) no longer writes \(writes(replaced)): a role writes for one bureau, and this grant replaced its earlier one")
            }
        }
    }

    struct Grants: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "grants", abstract: "List the roles with write rights.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: FormatOptions

        func run() throws {
            let grants = try store.openForReading().bureauGrants()
            output.print(Table(columns: ["role", "writes"], rows: grants.map { [.text($0.role), .text($0.city ?? "全省 (province)")] }))
        }
    }
}
