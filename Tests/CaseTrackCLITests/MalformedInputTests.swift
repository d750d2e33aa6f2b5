import Foundation
import Testing

/// The systematic corpus of bad input: every file in Fixtures/Malformed and every command line
/// below must give a clear error, exit 1 (not a signal) and leave the database byte-identical.
@Suite struct MalformedInputTests {
    static let corpus: [(file: String, message: String)] = {
        let manifest = Casetrack.fixtures.appendingPathComponent("Malformed/expected.tsv")
        let text = (try? String(contentsOf: manifest, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").filter { !$0.hasPrefix("#") }.compactMap { line in
            let parts = line.split(separator: "\t", maxSplits: 1).map(String.init)
            return parts.count == 2 ? (parts[0], parts[1]) : nil
        }
    }()

    @Test func theCorpusHoldsAtLeastFortyFiles() {
        #expect(Self.corpus.count >= 40)
    }

    @Test(arguments: corpus.map(\.file))
    func aMalformedFileIsRefusedAndChangesNothing(file: String) throws {
        let expected = try #require(Self.corpus.first { $0.file == file }?.message)
        let ct = try Casetrack()
        try ct.enterSeedCases()
        let before = ct.databaseBytes()
        let result = try ct.run("import", Casetrack.fixtures.appendingPathComponent("Malformed/\(file)").path)
        #expect(result.status == 1, "exit status \(result.status)")
        #expect(!result.crashed)
        #expect(result.stderr.contains(expected), "expected '\(expected)' in: \(result.stderr.prefix(600))")
        #expect(result.stderr.contains("nothing was imported") || result.stderr.contains("Error:"))
        #expect(ct.databaseBytes() == before, "the database changed")
    }

    static let commandLines: [([String], String)] = [
        (["arrest", "rm", "99999999999999999999"], "id must be a positive whole number"),
        (["arrest", "add", "99999999999999999999", "--count", "1"], "cannot read case reference"),
        (["case", "show", ""], "cannot read case reference"),
        (["case", "show", "襄阳/1.13@99999"], "cannot read case reference"),
        (["case", "add", "--city", "襄阳", "--code", "'; DROP TABLE cases; --", "--year", "2023", "--opened", "2024-01"], "does not match"),
        (["case", "edit", "1", "--closed", "2022-01"], "cannot close"),
        (["case", "edit", "1", "--status", "open", "--closed", "2023-12"], "an open case cannot have a closing date"),
        (["gang", "add", "1", "--count", "1000001"], "count must be a whole number from 1 to 1,000,000"),
        (["link", "add", "1", "--count", "-1"], "count must be a whole number"),
        (["arrest", "add", "1", "--count", "5", "--date", "2023-13-01"], "a real calendar date"),
        (["report", "--year", "99999"], "year must be a whole number from 1949 to 2100"),
        (["report", "--from", "2024", "--to", "2023"], "no later than --to"),
        (["summary", "--year", "1949"], "year must be a whole number"),
        (["import", "no/such/file.jsonl"], "no/such/file.jsonl: no such file"),
        (["import", "cases.txt"], "no such file"),
        (["undo", "424242"], "no change set 424242"),
        (["cities", "add", "--code", "12", "--name", "x"], "six-digit GB/T 2260 code"),
        (["categories", "add", "诈骗"], "already an alias of 电信网络诈骗"),
        (["link-types", "add", "洗钱"], "already known"),
        // Relative paths: commands run in the test's own folder, so nothing outside it is touched.
        (["backup", "no/such/folder/and/more/x.db"], "cannot write the backup no/such/folder/and/more/x.db: the folder no/such/folder/and/more does not exist"),
        (["backup", "backups/"], "cannot write the backup into backups/: the folder does not exist"),
    ]

    @Test(arguments: commandLines)
    func aMalformedCommandLineIsRefusedAndChangesNothing(arguments: [String], message: String) throws {
        let ct = try Casetrack()
        try ct.enterSeedCases()
        let before = ct.databaseBytes()
        let result = try ct.run(arguments)
        #expect(result.status != 0 && !result.crashed)
        #expect(result.stderr.contains(message), "expected '\(message)' in: \(result.stderr)")
        #expect(ct.databaseBytes() == before, "the database changed")
    }
}
