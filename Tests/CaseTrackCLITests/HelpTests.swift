import Foundation
import Testing

/// Every command explains itself and is documented in the README.
@Suite struct HelpTests {
    static let commands = [
        "init", "case add", "case list", "case show", "case edit", "case rm",
        "arrest add", "arrest list", "arrest rm", "gang add", "gang list", "gang rm",
        "link add", "link list", "link rm", "report", "summary", "import", "export", "extract", "log", "undo", "check", "backup",
        "cities list", "cities add", "categories list", "categories add", "link-types list", "link-types add",
    ]

    static let readme: String = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("README.md")
        return (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    }()

    @Test(arguments: commands)
    func everyCommandHasHelpWithAnAbstract(command: String) throws {
        let result = try Casetrack().run(command.split(separator: " ").map(String.init) + ["--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("OVERVIEW: "), "\(command) has no abstract")
        #expect(result.stdout.contains("--db"), "\(command) does not take --db")
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
