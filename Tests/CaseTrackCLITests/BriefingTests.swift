import Foundation
import Testing

/// The yearly briefing (`summary`) and the report table, run through the built binary on the
/// two-year fixture (2022 and 2023; see SummaryTests for the hand-worked figures).
@Suite struct BriefingTests {
    static func twoYears() throws -> Casetrack {
        let ct = try Casetrack()
        let result = try ct.run("import", Casetrack.fixtures.appendingPathComponent("two-years.jsonl").path)
        guard result.status == 0 else { throw CocoaError(.fileReadCorruptFile) }
        return ct
    }

    static func lines(_ text: String) -> [String] { text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }

    @Test func chinesePercentagesCarryNoSpaceAndEnglishOnesKeepTheirs() throws {
        let ct = try Self.twoYears()
        let zh = Self.lines(try ct.run("summary", "--year", "2023").stdout)
        #expect(zh.contains("与2022年相比，立专案数同比持平，抓获犯罪嫌疑人同比上升172.00%，其中扩线深挖抓获新增，打掉犯罪团伙同比上升20.00%，打掉犯罪环节同比上升40.00%。"))
        #expect(zh.contains("襄阳市：立专案1起，抓获犯罪嫌疑人249名，打掉犯罪团伙12个；抓获人数同比上升24.50%。"))
        // A city with nothing this year is said so, not given a row of zeros and a 100 % fall.
        #expect(zh.contains("黄石市：2023年无专案记录（2022年立专案1起，抓获犯罪嫌疑人50名）。"))
        let en = Self.lines(try ct.run("summary", "--year", "2023", "--lang", "en").stdout)
        #expect(en.contains("Against 2022: cases unchanged YoY, arrests +172.00% YoY, arrests in the extended investigation new, gangs +20.00% YoY, chain links +40.00% YoY."))
    }

    @Test func topCasesAreNamedByTheReferenceCaseShowTakes() throws {
        let ct = try Self.twoYears()
        let text = try ct.run("summary", "--year", "2023")
        #expect(text.stdout.hasSuffix("""
            抓获人数居前的专案
            专案        名称                      抓获  扩线深挖  团伙  环节
            ----------  ------------------------  ----  --------  ----  ----
            汉川"6406"                             506       169     0     0
            襄阳"1.13"  襄阳“1.13”电信网络诈骗案   249         0    12     0
            鄂州"9.9"                              197         0     0     7

            """))
        let markdown = Self.lines(try ct.run("summary", "--year", "2023", "--format", "markdown").stdout)
        #expect(markdown.contains("| 专案       | 名称                     | 抓获 | 扩线深挖 | 团伙 | 环节 |"))
        #expect(markdown.contains("| 汉川\"6406\" |                          |  506 |      169 |    0 |    0 |"))
        let html = try ct.run("summary", "--year", "2023", "--format", "html").stdout
        #expect(html.contains("<tr><td>汉川&quot;6406&quot;</td><td></td><td class=\"number\">506</td>"))
        let json = try Casetrack.object(try ct.run("summary", "--year", "2023", "--format", "json").stdout)
        let top = try #require((json["top_cases"] as? [[String: Any]])?.first)
        #expect(top["case"] as? String == "汉川\"6406\"")
        #expect(top["id"] as? Int == 5)
        // The reference works where a user would paste it.
        let shown = try ct.run("case", "show", "汉川\"6406\"")
        #expect(shown.status == 0)
        #expect(Self.lines(shown.stdout).first == "汉川\"6406\"@2023  (id 5)")
    }

    @Test func aReusedCodeIsNamedWithItsYearInTopCases() throws {
        let ct = try Self.twoYears()
        try ct.run("case", "add", "--city", "襄阳", "--code", "A1", "--year", "2023")
        try ct.run("arrest", "add", "襄阳/A1@2023", "--count", "900")
        let json = try Casetrack.object(try ct.run("summary", "--year", "2023", "--format", "json").stdout)
        let top = try #require(json["top_cases"] as? [[String: Any]])
        #expect(top.map { $0["case"] as? String } == ["襄阳\"A1\"@2023", "汉川\"6406\"", "襄阳\"1.13\"", "鄂州\"9.9\""])
    }

    @Test func aYearWithNothingRecordedSaysSoPlainly() throws {
        let ct = try Self.twoYears()
        let zh = try ct.run("summary", "--year", "2025")
        #expect(zh.status == 0)
        #expect(zh.stdout == "2025年无专案记录。\n")
        #expect(zh.stderr == "")
        let en = try ct.run("summary", "--year", "2025", "--lang", "en")
        #expect(en.status == 0)
        #expect(en.stdout == "Nothing is recorded in 2025.\n")
        let city = try ct.run("summary", "--year", "2025", "--city", "襄阳")
        #expect(city.stdout == "2025年襄阳市无专案记录。\n")
        let markdown = try ct.run("summary", "--year", "2025", "--format", "markdown")
        #expect(markdown.stdout == "## 2025年全省专案工作统计\n\n2025年无专案记录。\n")
    }

    @Test func aYearWithNothingRecordedKeepsLastYearForReference() throws {
        let ct = try Self.twoYears()
        let zh = try ct.run("summary", "--year", "2024")
        #expect(zh.status == 0)
        #expect(zh.stdout == """
            2024年无专案记录。
            供参考：2023年，全省共立专案3起，抓获犯罪嫌疑人952名（其中扩线深挖抓获169名），打掉犯罪团伙12个、犯罪环节7个。

            2023年各地情况（供参考）
            城市  专案  抓获  首次抓获  扩线深挖  团伙  环节
            ----  ----  ----  --------  --------  ----  ----
            孝感     1   506       337       169     0     0
            襄阳     1   249       249         0    12     0
            鄂州     1   197       197         0     0     7
            ----  ----  ----  --------  --------  ----  ----
            合计     3   952       783       169    12     7

            """)
        let en = Self.lines(try ct.run("summary", "--year", "2024", "--lang", "en").stdout)
        #expect(Array(en.prefix(4)) == [
            "Nothing is recorded in 2024.",
            "For reference, in 2023, the province opened 3 special cases and arrested 952 suspects (169 of them in the extended investigation), and dismantled 12 criminal gangs and 7 links of the criminal chain.",
            "",
            "By city, 2023 (for reference)",
        ])
    }

    @Test func aYearWithNothingRecordedHasAStableJSONShape() throws {
        let ct = try Self.twoYears()
        let noYears = try ct.run("summary", "--year", "2025", "--format", "json")
        #expect(noYears.status == 0)
        #expect(noYears.stdout == """
            {
              "year": 2025,
              "has_data": false,
              "totals": {"cases":0,"arrests":0,"arrests_initial":0,"arrests_extended":0,"gangs":0,"links":0},
              "previous": null,
              "change": {"cases":null,"arrests":null,"arrests_initial":null,"arrests_extended":null,"gangs":null,"links":null},
              "by_city": [],
              "top_cases": []
            }

            """)
        let lastYearOnly = try Casetrack.object(try ct.run("summary", "--year", "2024", "--format", "json").stdout)
        #expect(lastYearOnly["has_data"] as? Bool == false)
        #expect((lastYearOnly["previous"] as? [String: Any])?["arrests"] as? Int == 952)
        #expect((lastYearOnly["change"] as? [String: Any])?["arrests"] is NSNull, "no fall of 100 % for a year not entered")
        let recorded = try Casetrack.object(try ct.run("summary", "--year", "2023", "--format", "json").stdout)
        #expect(Set(recorded.keys) == Set(lastYearOnly.keys))
        #expect(recorded["has_data"] as? Bool == true)
    }

    @Test func englishTitlesNameThePlaceThenTheYear() throws {
        let ct = try Self.twoYears()
        #expect(Self.lines(try ct.run("summary", "--year", "2023", "--lang", "en").stdout).first == "Hubei special cases, 2023")
        #expect(Self.lines(try ct.run("summary", "--year", "2023", "--lang", "en", "--city", "襄阳").stdout).first == "Xiangyang special cases, 2023")
        // A division added without pinyin keeps its Chinese name.
        try ct.run("cities", "add", "--code", "429099", "--name", "新区")
        try ct.run("case", "add", "--city", "新区", "--code", "1", "--year", "2023")
        let added = try ct.run("summary", "--year", "2023", "--lang", "en", "--city", "新区", "--format", "markdown")
        #expect(Self.lines(added.stdout).first == "## 新区 special cases, 2023")
    }

    @Test(arguments: Backend.available) func anEmptyDatabasesReportHasATotalRowAsWideAsItsHeader(on backend: Backend) throws {
        let ct = try Casetrack(on: backend)
        try ct.run("init")
        let result = try ct.run("report")
        #expect(result.status == 0)
        #expect(result.stdout == """
            city        year  cases  arrests  arrests_initial  arrests_extended  gangs  links
            ----------  ----  -----  -------  ---------------  ----------------  -----  -----
            ----------  ----  -----  -------  ---------------  ----------------  -----  -----
            合计 total            0        0                0                 0      0      0

            """)
    }
}
