import Foundation
import Testing

@Suite struct ExtractCommandTests {
    static let bulletin = Casetrack.fixtures.appendingPathComponent("bulletin-2023.txt").path

    @Test(arguments: Backend.available) func bulletinTextBecomesImportDocumentsWithEvidence(on backend: Backend) throws {
        let ct = try Casetrack(on: backend)
        let result = try ct.run("extract", Self.bulletin, "--source", "湖北日报")
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 3)
        let first = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(first["city"] as? String == "襄阳" && first["code"] as? String == "1.13" && first["year"] as? Int == 2023)
        #expect(first["source"] as? String == "湖北日报")
        let arrest = try #require((first["arrests"] as? [[String: Any]])?.first)
        #expect(arrest["count"] as? Int == 249)
        let evidence = try #require(arrest["evidence"] as? [String: Any])
        #expect((evidence["text"] as? String)?.contains("抓获犯罪嫌疑人249名") == true)
        #expect(evidence["phrase"] as? String == "抓获犯罪嫌疑人249名")
        #expect(!FileManager.default.fileExists(atPath: ct.defaultDatabase), "reading text creates no database")
    }

    @Test(arguments: Backend.available) func extractedDocumentsImportAndGiveTheSeedTotals(on backend: Backend) throws {
        let ct = try Casetrack(on: backend)
        let dry = try ct.run("extract", Self.bulletin, "--import", "--dry-run")
        #expect(dry.status == 0 && dry.stdout.contains("create\t汉川\"6406\"@2023"))
        let applied = try ct.run("extract", Self.bulletin, "--import")
        #expect(applied.status == 0, "\(applied.stderr)")
        let report = try Casetrack.objects(try ct.run("report", "--by", "year", "--format", "json").stdout)
        #expect(report.first?["arrests"] as? Int == 952)
        #expect(report.first?["arrests_extended"] as? Int == 169)
        #expect(report.first?["gangs"] as? Int == 12)
        #expect(report.first?["links"] as? Int == 7)
        // The output of extract is also a file `import` reads.
        let file = ct.home.appendingPathComponent("extracted.jsonl")
        try ct.run("extract", Self.bulletin).stdout.write(to: file, atomically: true, encoding: .utf8)
        #expect(try ct.run("import", file.path).stderr.contains("3 unchanged"))
    }

    @Test func tableShowsEachFigureBesideItsEvidence() throws {
        let result = try Casetrack().run("extract", Self.bulletin, "--format", "table")
        #expect(result.status == 0)
        #expect(result.stdout.contains("arrests (extended)"))
        #expect(result.stdout.contains("“扩线深挖又抓获169名” in: 汉川“6406”专案中"))
    }

    @Test func textWithoutCasesIsNotAnError() throws {
        let result = try Casetrack().run(["extract", "-"], stdin: Data("2023年，全省破获案件1200起，同比上升15%。".utf8))
        #expect(result.status == 0)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("no special case is mentioned"))
    }

    @Test(arguments: Backend.available) func badTextAndMissingYearsAreClearErrors(on backend: Backend) throws {
        let ct = try Casetrack(on: backend)
        let invalid = try ct.run(["extract", "-"], stdin: Data([0xE8, 0xA5, 0x84, 0xFF, 0xFE]))
        #expect(invalid.status != 0 && invalid.stderr.contains("not valid UTF-8"))
        let noYear = try ct.run(["extract", "-"], stdin: Data("汉川“6406”专案抓获犯罪嫌疑人337名。".utf8))
        #expect(noYear.status != 0 && noYear.stderr.contains("gives no year for 汉川\"6406\""))
        let withYear = try ct.run(["extract", "-", "--year", "2023"], stdin: Data("汉川“6406”专案抓获犯罪嫌疑人337名。".utf8))
        #expect(withYear.status == 0 && withYear.stdout.contains("\"year\":2023"))
        let gb = try #require("2023年，鄂州“9·9”诈骗案抓获犯罪嫌疑人197名。".data(using: String.Encoding(rawValue: 0x8000_0632)))
        let decoded = try ct.run(["extract", "-", "--encoding", "gb18030"], stdin: gb)
        #expect(decoded.status == 0 && decoded.stdout.contains("\"count\":197"))
    }

    @Test func documentsAreTotalsOnlyWithNoNullFields() throws {
        let result = try Casetrack().run("extract", Self.bulletin)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines.allSatisfy { $0.contains("\"totals_only\":true") && !$0.contains(":null") })
        let second = try #require(try JSONSerialization.jsonObject(with: Data(lines[1].utf8)) as? [String: Any])
        #expect(Set(second.keys) == ["city", "code", "year", "totals_only", "evidence", "arrests"], "汉川's text names no category")
    }

    @Test(arguments: Backend.available) func aFolderAndSeveralFilesAreReadWithTheFileInEveryEvidenceLine(on backend: Backend) throws {
        let ct = try Casetrack(on: backend)
        let folder = ct.home.appendingPathComponent("通报")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "2023年，襄阳“1.13”专案抓获犯罪嫌疑人249名。".write(to: folder.appendingPathComponent("a.txt"), atomically: true, encoding: .utf8)
        try "2023年，汉川“6406”专案抓获犯罪嫌疑人337名。".write(to: folder.appendingPathComponent("b.txt"), atomically: true, encoding: .utf8)
        try "not a bulletin".write(to: folder.appendingPathComponent("notes.md"), atomically: true, encoding: .utf8)
        let a = folder.appendingPathComponent("a.txt").path
        let b = folder.appendingPathComponent("b.txt").path

        let whole = try ct.run("extract", folder.path)
        #expect(whole.status == 0, "\(whole.stderr)")
        let documents = try whole.stdout.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        let files = documents.map { (($0["arrests"] as? [[String: Any]])?.first?["evidence"] as? [String: Any])?["file"] as? String }
        #expect(files == [a, b])
        #expect(documents.map { ($0["evidence"] as? [String: Any])?["file"] as? String } == [a, b])

        let table = try ct.run(["extract", b, "-", "--format", "table"], stdin: Data("2023年，鄂州“9·9”诈骗案抓获犯罪嫌疑人197名。".utf8))
        #expect(table.status == 0)
        let rows = table.stdout.split(separator: "\n").dropFirst(2)
        #expect(rows.map { $0.hasPrefix(b) || $0.hasPrefix("standard input") } == [true, true])
        #expect(rows.last?.contains("电信网络诈骗") == true)
    }

    @Test func notesNameTheFileAndTheOffsetOfWhatWasLeftOut() throws {
        let text = "2024年，鄂州“9·9”专案抓获犯罪嫌疑人197名。全省实现侦查办案由打击处置一人到打掉一个团伙、斩断一条产业链、铲除一种犯罪生态。"
        let result = try Casetrack().run(["extract", "-"], stdin: Data(text.utf8))
        #expect(result.status == 0)
        #expect(result.stderr == "not credited to any case: \"打掉一个团伙\" in standard input at offset 43\n")
    }

    @Test(arguments: Backend.available) func aFolderWithoutTextIsAClearError(on backend: Backend) throws {
        let ct = try Casetrack(on: backend)
        let empty = ct.home.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        let result = try ct.run("extract", empty.path)
        #expect(result.status == 1)
        #expect(result.stderr == "Error: \(empty.path): the folder holds no .txt file\n")
    }
}
