import Foundation
import Testing

/// `log` as people read it: local time with its offset, names not codes, a limit, undo rows
/// naming their target, change sets without gaps, rows printed as they are read.
@Suite struct LogCommandTests {
    @Test func anEmptyHistorySaysSoOnStderrAndPrintsNothing() throws {
        let ct = try Casetrack()
        try ct.run("init")
        let empty = try ct.run("log", "--no-pager")
        #expect(empty.status == 0)
        #expect(empty.stdout == "")
        #expect(empty.stderr == "No change is recorded in \(ct.defaultDatabase) yet (a database upgraded from the first version keeps no history from before).\n")
        try ct.enterSeedCases()
        let noneForCase = try ct.run("log", "鄂州/9.9", "--since", "2030", "--no-pager")
        #expect(noneForCase.status == 0)
        #expect(noneForCase.stdout == "")
        #expect(noneForCase.stderr == "No recorded change matches.\n")
    }

    @Test func timesAreLocalWithTheirOffsetAndDivisionsAreNamed() throws {
        var ct = try Casetrack()
        ct.environment["TZ"] = "Asia/Shanghai"
        try ct.run("case", "add", "--city", "汉川", "--code", "6406", "--year", "2023")
        try ct.run("case", "edit", "汉川/6406", "--city", "孝感")
        let text = try ct.run("log", "--limit", "1").stdout
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.first?.wholeMatch(of: /change set 2  \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \+08:00  .+/) != nil, "\(text)")
        #expect(lines.contains("          city: 汉川 → 孝感"))
        #expect(!text.contains("change set 1 "))
    }

    // On a file only: a server's change-set ids may skip numbers (its sequence is not rolled back).
    @Test func anUndoNamesTheChangeSetItRevertedAndIdsHaveNoGaps() throws {
        let ct = try Casetrack()
        try ct.run("case", "add", "--city", "襄阳", "--code", "1.13", "--year", "2023")
        try ct.run("case", "edit", "襄阳/1.13", "--note", "x")
        // Refused and no-op commands take no change-set number.
        try ct.run("case", "edit", "襄阳/1.13", "--note", "x")
        try ct.run("arrest", "add", "襄阳/1.13", "--count", "0")
        try ct.run("undo")
        let text = try ct.run("log", "--limit", "1").stdout
        #expect(text.contains("    casetrack undo   [reverts change set 2]\n"))
        let rows = try Casetrack.objects(try ct.run("log", "--format", "json").stdout)
        #expect(Set(rows.compactMap { $0["change"] as? Int }) == [1, 2, 3])
        #expect(rows.first { $0["change"] as? Int == 3 }?["reverts"] as? Int == 2)
    }

    @Test(arguments: Backend.available) func theFirstChangeSetsPrintWithoutReadingTheWholeHistory(on backend: Backend) throws {
        let ct = try Casetrack(on: backend)
        let file = try ct.generatedDocuments(2000)
        try ct.run("import", file)
        try ct.run("case", "edit", "襄阳/G.8", "--note", "最新")
        // `--limit 1` stops after the newest change set: the 2,000-case import is not read.
        let newest = try ct.run("log", "--limit", "1", "--format", "jsonl").stdout
        #expect(newest.split(separator: "\n").count == 1)
        #expect(newest.contains("\"after\":\"最新\""))
        // A reader that stops early ends the command quietly.
        let piped = try ct.shell("(\"$CT\" log --format jsonl 2>err.txt; echo \"status $?\" > status.txt) | head -3 > /dev/null; cat status.txt err.txt")
        #expect(piped.stdout == "status 0\n")
    }

    @Test(arguments: Backend.available) func rowsPutBackByAnUndoAreListedAndARemovedCaseIsFoundByItsName(on backend: Backend) throws {
        let ct = try Casetrack(on: backend)
        try ct.enterSeedCases()
        try ct.run("case", "rm", "鄂州/9.9", "--yes")
        try ct.run("undo")
        try ct.run("case", "rm", "鄂州/9.9", "--yes")
        let rows = try Casetrack.objects(try ct.run("log", "鄂州/9.9", "--format", "json").stdout)
        let undo = rows.filter { ($0["command"] as? String) == "casetrack undo" }
        #expect(Set(undo.compactMap { $0["action"] as? String }) == ["insert"])
        #expect(Set(undo.compactMap { $0["record"] as? String }).count == 3)
        // Piped, a record's fields stay on one line, so that grep finds them.
        let text = try ct.run("log", "--no-pager").stdout
        #expect(text.contains("id 4 · case_id 3 · count 197 · phase initial"))
    }
}
