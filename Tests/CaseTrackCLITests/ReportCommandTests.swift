import Foundation
import Testing

@Suite struct ReportCommandTests {
    static func twoYears() throws -> Casetrack {
        let ct = try Casetrack()
        let result = try ct.run("import", Casetrack.fixtures.appendingPathComponent("two-years.jsonl").path)
        guard result.status == 0 else { throw CocoaError(.fileReadCorruptFile) }
        return ct
    }

    @Test func summaryPrintsTheBulletinInChineseByDefault() throws {
        let ct = try Self.twoYears()
        let result = try ct.run("summary", "--year", "2023")
        #expect(result.status == 0)
        #expect(result.stdout.contains("2023年，全省共立专案3起，抓获犯罪嫌疑人952名（其中扩线深挖抓获169名），打掉犯罪团伙12个、犯罪环节7个。"))
        #expect(result.stdout.contains("抓获犯罪嫌疑人同比上升172.00%"))
        #expect(!result.stdout.contains("###"), "no chart when standard output is not a terminal")
    }

    @Test(arguments: ["text", "markdown", "json", "html"])
    func summaryFormatsAgreeWithReport(format: String) throws {
        let ct = try Self.twoYears()
        let result = try ct.run("summary", "--year", "2023", "--format", format, "--lang", "en")
        #expect(result.status == 0)
        #expect(result.stdout.contains("952"))
        let report = try Casetrack.objects(try ct.run("report", "--by", "year", "--year", "2023", "--format", "json").stdout)
        #expect(report.first?["arrests"] as? Int == 952)
    }

    @Test func summaryOfADivisionAndBadYearsAreHandled() throws {
        let ct = try Self.twoYears()
        let county = try ct.run("summary", "--year", "2023", "--city", "孝感", "--format", "json")
        let object = try JSONSerialization.jsonObject(with: Data(county.stdout.utf8)) as? [String: Any]
        #expect((object?["by_city"] as? [[String: Any]])?.first?["city"] as? String == "汉川")
        let bad = try ct.run("summary", "--year", "20x3")
        #expect(bad.status != 0 && bad.stderr.contains("year must be a whole number"))
        let missing = try ct.run("summary")
        #expect(missing.status != 0 && missing.stderr.contains("--year"))
    }

    @Test(arguments: Backend.available) func quartersListYearOnlyFiguresUnderUnknown(on backend: Backend) throws {
        let ct = try Casetrack(on: backend)
        try ct.run("case", "add", "--city", "襄阳", "--code", "1.13", "--opened", "2023-01-13")
        try ct.run("arrest", "add", "襄阳/1.13", "--count", "249")
        try ct.run("arrest", "add", "襄阳/1.13", "--count", "30", "--date", "2023-05-02", "--phase", "extended")
        try ct.run("arrest", "add", "襄阳/1.13", "--count", "7", "--date", "2023")
        let rows = try Casetrack.objects(try ct.run("report", "--by", "quarter", "--format", "json").stdout)
        #expect(rows.map { $0["quarter"] as? String } == ["2023-Q1", "2023-Q2", "2023-unknown"])
        #expect(rows.map { $0["arrests"] as? Int } == [249, 30, 7])
        let months = try Casetrack.objects(try ct.run("report", "--by", "month", "--format", "json").stdout)
        #expect(months.map { $0["month"] as? String } == ["2023-01", "2023-05", "2023-unknown"])
        let spring = try Casetrack.objects(try ct.run("report", "--by", "year", "--from", "2023-04", "--to", "2023-06", "--format", "json").stdout)
        #expect(spring.first?["arrests"] as? Int == 30)
        let whole = try Casetrack.objects(try ct.run("report", "--by", "year", "--from", "2023", "--to", "2023", "--format", "json").stdout)
        #expect(whole.first?["arrests"] as? Int == 286)
        // Full dates on month edges are exactly the months; a bound inside a month counts by day.
        let edges = try ct.run("report", "--by", "year", "--from", "2023-04-01", "--to", "2023-06-30", "--format", "json")
        #expect(try Casetrack.objects(edges.stdout).first?["arrests"] as? Int == 30)
        #expect(edges.stderr == "")
        let inside = try ct.run("report", "--by", "year", "--from", "2023-04-02", "--to", "2023-06-30", "--format", "json")
        #expect(inside.stderr == "Counted by day: figures dated only to a month or a year count when that whole month or year lies within the bounds.\n")
    }

    @Test func reportChartDrawsABarPerRow() throws {
        let ct = try Self.twoYears()
        let result = try ct.run("report", "--by", "city", "--year", "2023", "--chart")
        #expect(result.status == 0)
        let bars = result.stdout.split(separator: "\n").filter { $0.contains("#") }
        #expect(bars.count == 3)
        #expect(bars.first?.hasPrefix("襄阳") == true)
        let refused = try ct.run("report", "--chart", "--format", "json")
        #expect(refused.status != 0)
    }
}
