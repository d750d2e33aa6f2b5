import Foundation
import Testing

/// Bad input: a clear message on stderr, a non-zero exit that is not a crash, and an unchanged database.
@Suite struct ErrorMessageTests {
    static let cases: [([String], String)] = [
        (["arrest", "add", "襄阳/1.13", "--count", "99999999999999999999"], "count must be a whole number from 1 to 1,000,000"),
        (["arrest", "add", "襄阳/1.13", "--count", "-5"], "count must be a whole number from 1 to 1,000,000"),
        (["arrest", "add", "襄阳/1.13", "--count", "0"], "count must be a whole number"),
        (["arrest", "add", "襄阳/1.13", "--count", "5", "--phase", "later"], "phase must be initial or extended"),
        (["arrest", "add", "襄阳/9.99", "--count", "5"], "no case 襄阳\"9.99\""),
        (["arrest", "add", "襄阳", "--count", "5"], "cannot read case reference"),
        (["case", "add", "--city", "襄阳", "--code", "1.13", "--year", "2023"], "already exists (id 1)"),
        (["case", "add", "--city", "汉州", "--code", "1", "--year", "2023"], "unknown city '汉州'; closest known:"),
        (["case", "add", "--city", "襄阳", "--code", "", "--year", "2023"], "the code is empty"),
        (["case", "add", "--city", "襄阳", "--code", "2", "--opened", "2023-02-30"], "a real calendar date between 1949 and 2100), got '2023-02-30': February 2023 has 28 days\n"),
        (["case", "add", "--city", "襄阳", "--code", "2", "--opened", "2024年2月30日"], "got '2024年2月30日': February 2024 has 29 days\n"),
        (["case", "add", "--city", "襄阳", "--code", "2", "--opened", "20230431"], "got '20230431': April 2023 has 30 days\n"),
        (["case", "add", "--city", "襄阳", "--code", "2", "--opened", "2023-13-01"], "a real calendar date between 1949 and 2100), got '2023-13-01'\n"),
        (["case", "add", "--city", "襄阳", "--code", "2", "--year", "1800"], "year must be a whole number from 1949 to 2100"),
        (["case", "add", "--city", "襄阳", "--code", "2", "--year", "2023", "--category", "走私品"], "unknown category"),
        (["case", "add", "--city", "襄阳", "--code", "2", "--year", "2023", "--status", "pending"], "status must be open (在办) or closed (已结)"),
        (["case", "add", "--city", "襄阳", "--code", "2", "--year", "2023", "--name", "a\u{1}b"], "control characters"),
        (["case", "add", "--city", "襄阳", "--code", "2", "--year", "2023", "--name", String(repeating: "长", count: 30_000)], "the limit is 200"),
        (["case", "add", "--city", "襄阳", "--code", "2"], "opening date"),
        (["case", "edit", "1", "--opened", "2022-05", "--year", "2023"], "does not match"),
        (["link", "add", "1", "--type", "跑份"], "closest known: 跑分"),
        (["gang", "add", "1", "--members", "1e9"], "members must be a whole number"),
        (["arrest", "rm", "999"], "no arrest with id 999"),
        (["report", "--by", "town"], "--by must be a comma list"),
        (["case", "show", "0"], "cannot read case reference"),
    ]

    @Test(arguments: cases)
    func badInputGetsAClearErrorAndChangesNothing(arguments: [String], message: String) throws {
        let ct = try Casetrack()
        try ct.enterSeedCases()
        let before = try ct.dump()
        let result = try ct.run(arguments)
        #expect(result.status != 0)
        #expect(!result.crashed)
        #expect(result.stderr.contains(message), "stderr was: \(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(try ct.dump() == before)
    }

    @Test func aFileThatIsNotACaseTrackDatabaseIsNeverOverwritten() throws {
        let ct = try Casetrack()
        let notes = ct.home.appendingPathComponent("notes.txt")
        try Data("meeting notes\n".utf8).write(to: notes)
        let result = try ct.run("case", "list", "--db", notes.path)
        #expect(result.status != 0)
        #expect(result.stderr.contains("is not a casetrack database"))
        #expect(try String(contentsOf: notes, encoding: .utf8) == "meeting notes\n")

        let folder = ct.home.appendingPathComponent("a-folder")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let onFolder = try ct.run("init", "--db", folder.path)
        #expect(onFolder.status != 0 && onFolder.stderr.contains("it is a directory"))
    }

    @Test func anotherApplicationsSQLiteFileIsRefusedUntouched() throws {
        let ct = try Casetrack()
        let other = ct.home.appendingPathComponent("other.sqlite")
        let created = Process()
        created.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        created.arguments = ["sqlite3", other.path, "CREATE TABLE t(x); INSERT INTO t VALUES (1);"]
        try created.run()
        created.waitUntilExit()
        try #require(created.terminationStatus == 0, "needs the sqlite3 shell")
        let bytes = try Data(contentsOf: other)
        let result = try ct.run("report", "--db", other.path)
        #expect(result.status != 0)
        #expect(result.stderr.contains("holds other tables: t"))
        #expect(try Data(contentsOf: other) == bytes)
    }
}
