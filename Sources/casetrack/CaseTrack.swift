import ArgumentParser
import CaseTrackCore

/// The `casetrack` command: a register of special cases (专案) and what each achieved.
@main
struct CaseTrack: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "casetrack",
        abstract: "A local register of special cases (专案) and their results: arrests, gangs, chain links.",
        discussion: """
            The database is --db PATH, else $CASETRACK_DB, else $XDG_DATA_HOME/casetrack/casetrack.db.
            A case is named CITY/CODE (襄阳/1.13), CITY"CODE" (襄阳"1.13"), either with @YEAR, or by its id.
            """,
        version: version,
        subcommands: [
            InitCommand.self, CaseCommand.self, ArrestCommand.self, GangCommand.self, LinkCommand.self,
            ReportCommand.self, SummaryCommand.self, SearchCommand.self, SQLCommand.self, ImportCommand.self, ExportCommand.self, ExtractCommand.self, LogCommand.self, UndoCommand.self, RedoCommand.self, CheckCommand.self, BackupCommand.self, AdminCommand.self, CopyCommand.self, CitiesCommand.self, CategoriesCommand.self, LinkTypesCommand.self,
        ]
    )

    /// `--db PATH` may come anywhere, also before or between subcommands (`casetrack --db x.db
    /// report`, `casetrack case --db x.db list`); it is moved behind the leaf command's own
    /// arguments, where the leaf parses it.
    static func main() {
        var arguments: [String] = []
        var moved: [String] = []
        var rest = Array(CommandLine.arguments.dropFirst())[...]
        while let word = rest.first {
            rest = rest.dropFirst()
            if word == "--" {
                arguments.append(word)
                arguments += rest
                break
            }
            if word == "--db", let value = rest.first {
                moved += [word, value]
                rest = rest.dropFirst()
            } else if word.hasPrefix("--db=") {
                moved.append(word)
            } else {
                arguments.append(word)
            }
        }
        let all = Self.joiningSpacedReference(arguments) + moved
        if all.filter({ $0 == "--db" || $0.hasPrefix("--db=") }).count > 1 {
            exit(withError: CLIError("--db is given more than once; give the database once"))
        }
        do {
            try CommandSuggestions.check(all, root: CaseTrack.self)
            var command = try parseAsRoot(all)
            try StandardOutput.prepare((command as? WritesOutput)?.outputFile)
            do {
                try command.run()
            } catch is StopWriting {
                // Standard output failed; finish() says why.
            } catch {
                StandardOutput.discard()
                CreatedDatabase.discard()
                throw error
            }
            try StandardOutput.finish()
            CreatedDatabase.announce()
        } catch {
            exit(withError: forPeople(error))
        }
    }

    /// `casetrack case show 汉川 6406`: a city and a code typed as two words (汉川"6406" without
    /// outer quotes, or a reference with a space) become one reference, for the commands whose
    /// one positional argument is a case.
    static func joiningSpacedReference(_ arguments: [String]) -> [String] {
        let takesReference: [[String]] = [
            ["case", "show"], ["case", "edit"], ["case", "rm"], ["log"],
            ["arrest", "add"], ["gang", "add"], ["link", "add"], ["arrest", "list"], ["gang", "list"], ["link", "list"],
        ]
        guard let path = takesReference.first(where: { arguments.starts(with: $0) }), arguments.count >= path.count + 2 else {
            return arguments
        }
        let city = arguments[path.count]
        let code = arguments[path.count + 1]
        let marks: Set<Character> = ["/", "\"", "“", "”", "@", "「", "」"]
        guard !city.hasPrefix("-"), !code.hasPrefix("-"), city.contains(where: { !$0.isASCII }),
            !city.contains(where: marks.contains), !city.allSatisfy(\.isNumber)
        else { return arguments }
        return Array(arguments[..<path.count]) + ["\(city) \(code)"] + Array(arguments[(path.count + 2)...])
    }

    /// The core names fields; on the command line they are options.
    static func forPeople(_ error: Error) -> Error {
        guard let error = error as? CaseTrackError else { return error }
        let options: Set<String> = ["from", "to", "since", "sort"]
        switch error {
        case let .missingField(field, what):
            return CLIError("\(what) (--\(field))")
        case let .invalidDate(field, _) where options.contains(field),
            let .invalidValue(field, _, _) where options.contains(field):
            return CLIError("--" + error.description)
        default:
            return error
        }
    }
}
