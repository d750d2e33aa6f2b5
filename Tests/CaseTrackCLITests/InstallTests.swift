import Foundation
import Testing

/// What `make install` puts beside the binary, checked without running make (a release build
/// is too slow for `make test`): the completions the binary writes and the help the manual page
/// is generated from.
@Suite struct InstallTests {
    static let helpForManual = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Scripts/help-for-manual.sh")

    @Test(arguments: [("bash", "complete -o filenames -F _casetrack casetrack"), ("zsh", "#compdef casetrack"), ("fish", "complete -c 'casetrack' -f")])
    func theBinaryWritesCompletionsForEachShell(shell: String, marker: String) throws {
        let result = try Casetrack().run("--generate-completion-script", shell)
        #expect(result.status == 0)
        #expect(result.stdout.split(separator: "\n").contains { $0.hasPrefix(marker) })
        #expect(result.stdout.contains("summary"))
    }

    @Test func theManualsHelpCarriesChineseAcrossAsASCII() throws {
        let ct = try Casetrack()
        // generate-manual runs the script with --experimental-dump-help, and drops non-ASCII text.
        let result = try ct.shell("CASETRACK_BIN=\"$CT\" '\(Self.helpForManual.path)' --experimental-dump-help")
        #expect(result.status == 0)
        #expect(result.stdout.utf8.allSatisfy { $0 < 0x80 })
        #expect(result.stdout.contains(#""abstract" : "A local register of special cases (@U+4E13@@U+6848@) and their results: arrests, gangs, chain links.""#))
    }
}
