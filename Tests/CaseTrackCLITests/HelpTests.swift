import Foundation
import Testing

/// Every command explains itself and is documented in the README.
@Suite struct HelpTests {
    /// Every command and subcommand, read from the binary's own help (its SUBCOMMANDS sections),
    /// so that a command added later is held to the same rules without being listed here.
    static let commands: [String] = {
        func subcommands(of command: [String]) -> [String] {
            let process = Process()
            process.executableURL = Casetrack.binary
            process.arguments = command + ["--help"]
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = FileHandle.nullDevice
            guard (try? process.run()) != nil else { return [] }
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            let help = String(decoding: data, as: UTF8.self)
            guard let section = help.components(separatedBy: "SUBCOMMANDS:\n").dropFirst().first else { return [] }
            // Up to the blank line after the list: a subcommand's line begins with two spaces
            // and its name; its description's continuation lines are indented further.
            let lines = section.components(separatedBy: "\n").prefix { !$0.isEmpty }
            return lines.compactMap { line in
                guard line.hasPrefix("  "), !line.hasPrefix("   "), let name = line.split(separator: " ").first else { return nil }
                return String(name)
            }
        }
        var all: [String] = []
        for command in subcommands(of: []) where command != "help" {
            let nested = subcommands(of: [command]).filter { $0 != "help" }
            all += nested.isEmpty ? [command] : nested.map { "\(command) \($0)" }
        }
        return all
    }()

    static let readme: String = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("README.md")
        return (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    }()

    @Test func theCommandTreeIsReadFromTheBinary() {
        #expect(Self.commands.count > 30)
        #expect(Self.commands.contains("case add") && Self.commands.contains("redo") && Self.commands.contains("admin grant-bureau"))
    }

    @Test(arguments: commands)
    func everyCommandHasHelpWithAnAbstract(command: String) throws {
        let result = try Casetrack().run(command.split(separator: " ").map(String.init) + ["--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("OVERVIEW: "), "\(command) has no abstract")
        // `copy` names two registers, --from and --to.
        #expect(result.stdout.contains(command == "copy" ? "--to" : "--db"), "\(command) does not take --db")
        // A line continuation written into a raw help text shows as a stray backslash.
        #expect(!result.stdout.contains("\\\n"), "\(command)'s help shows a backslash at a line's end")
    }

    @Test(arguments: commands)
    func everyCommandIsInTheReadme(command: String) {
        let words = command.split(separator: " ")
        // Subcommands shared by the three result kinds are documented as `arrest|gang|link list`.
        let documented = Self.readme.contains("casetrack \(command)")
            || (words.count == 2 && Self.readme.contains("arrest\\|gang\\|link \(words[1])"))
            || (words.count == 2 && Self.readme.contains("casetrack \(words[0]) [") && Self.readme.contains(String(words[1])))
        #expect(documented, "README does not document `casetrack \(command)`")
    }

    @Test func versionIsPrinted() throws {
        let result = try Casetrack().run("--version")
        #expect(result.status == 0 && result.stdout.first?.isNumber == true)
    }
}
