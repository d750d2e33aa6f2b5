import Foundation
#if canImport(FoundationXML)
    import FoundationXML
#endif
import Testing

/// The review of several years (`summary --from --to`) and the year trend of `report --by year --chart`,
/// run through the built binary on five-years.jsonl: 2018 before the period, 2019, 2020, nothing in
/// 2021, 2022, 2023, and 2024 after it (the figures are worked out in CaseTrackCoreTests/PeriodSummaryTests).
@Suite struct FiveYearReviewTests {
    static func fiveYears() throws -> Casetrack {
        let ct = try Casetrack()
        let result = try ct.run("import", Casetrack.fixtures.appendingPathComponent("five-years.jsonl").path)
        guard result.status == 0 else { throw CocoaError(.fileReadCorruptFile) }
        return ct
    }

    static func lines(_ text: String) -> [String] { text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }

    @Test func theReviewGivesEveryYearWithItsChangeEachCityAcrossTheYearsAndTheTopCases() throws {
        let ct = try Self.fiveYears()
        let result = try ct.run("summary", "--from", "2019", "--to", "2023")
        #expect(result.status == 0)
        #expect(result.stderr == "")
        #expect(result.stdout == """
            2019—2023年全省专案工作回顾

            五年来，全省共立专案9起，抓获犯罪嫌疑人1602名（其中扩线深挖抓获169名），打掉犯罪团伙27个、犯罪环节14个。
            2019年，立专案2起，抓获犯罪嫌疑人200名，打掉犯罪团伙4个、犯罪环节2个；抓获人数同比上升100.00%。
            2020年，立专案1起，抓获犯罪嫌疑人80名，打掉犯罪团伙1个；抓获人数同比下降60.00%。
            2021年无专案记录。
            2022年，立专案3起，抓获犯罪嫌疑人370名，打掉犯罪团伙10个、犯罪环节5个。
            2023年，立专案3起，抓获犯罪嫌疑人952名（其中扩线深挖抓获169名），打掉犯罪团伙12个、犯罪环节7个；抓获人数同比上升157.30%。
            其中2023年抓获犯罪嫌疑人最多，达952名。
            襄阳市：立专案3起，抓获犯罪嫌疑人599名，打掉犯罪团伙26个。
            孝感市：立专案1起，抓获犯罪嫌疑人506名（其中扩线深挖抓获169名）。
            鄂州市：立专案3起，抓获犯罪嫌疑人397名，打掉犯罪团伙1个、犯罪环节12个。
            武汉市：立专案1起，抓获犯罪嫌疑人50名，打掉犯罪环节2个。
            黄石市：立专案1起，抓获犯罪嫌疑人50名。

            逐年情况
            年份  专案  抓获  首次抓获  扩线深挖  团伙  环节  抓获同比
            ----  ----  ----  --------  --------  ----  ----  --------
            2019     2   200       200         0     4     2  +100.00%
            2020     1    80        80         0     1     0  −60.00%
            2021     0     0         0         0     0     0  无记录
            2022     3   370       370         0    10     5  新增
            2023     3   952       783       169    12     7  +157.30%
            ----  ----  ----  --------  --------  ----  ----  --------
            合计     9  1602      1433       169    27    14

            各地情况（逐年为抓获犯罪嫌疑人数）
            城市  2019  2020  2021  2022  2023  抓获合计  专案  扩线深挖  团伙  环节
            ----  ----  ----  ----  ----  ----  --------  ----  --------  ----  ----
            襄阳   150     0     0   200   249       599     3         0    26     0
            孝感     0     0     0     0   506       506     1       169     0     0
            鄂州     0    80     0   120   197       397     3         0     1    12
            武汉    50     0     0     0     0        50     1         0     0     2
            黄石     0     0     0    50     0        50     1         0     0     0
            ----  ----  ----  ----  ----  ----  --------  ----  --------  ----  ----
            合计   200    80     0   370   952      1602     9       169    27    14

            五年来抓获人数居前的专案
            专案        名称                      抓获  扩线深挖  团伙  环节
            ----------  ------------------------  ----  --------  ----  ----
            汉川"6406"                             506       169     0     0
            襄阳"1.13"  襄阳“1.13”电信网络诈骗案   249         0    12     0
            襄阳"A1"                               200         0    10     0
            鄂州"9.9"                              197         0     0     7
            襄阳"C1"                               150         0     4     0
            鄂州"E1"                               100         0     1     0
            鄂州"B1"                               100         0     0     5
            武汉"W1"                                50         0     0     2
            黄石"D1"                                50         0     0     0

            """)
    }

    @Test func englishProseCountsTheYearsAndGivesEachYear() throws {
        let ct = try Self.fiveYears()
        let en = Self.lines(try ct.run("summary", "--from", "2019", "--to", "2023", "--lang", "en").stdout)
        #expect(Array(en.prefix(10)) == [
            "Hubei special cases, 2019–2023",
            "",
            "Over the five years 2019–2023, the province opened 9 special cases and arrested 1602 suspects (169 of them in the extended investigation), and dismantled 27 criminal gangs and 14 links of the criminal chain.",
            "2019: 2 cases, 200 arrested, and dismantled 4 criminal gangs and 2 links of the criminal chain; arrests +100.00% YoY.",
            "2020: 1 case, 80 arrested, and dismantled 1 criminal gang; arrests \u{2212}60.00% YoY.",
            "2021: nothing recorded.",
            "2022: 3 cases, 370 arrested, and dismantled 10 criminal gangs and 5 links of the criminal chain.",
            "2023: 3 cases, 952 arrested (169 extended), and dismantled 12 criminal gangs and 7 links of the criminal chain; arrests +157.30% YoY.",
            "Arrests were highest in 2023: 952.",
            "Xiangyang: 3 cases, 599 arrested, and dismantled 26 criminal gangs.",
        ])
        #expect(en.contains("2021       0        0        0         0      0      0  no records"))
        #expect(en.contains("Top cases by arrests, 2019–2023"))
    }

    @Test func aCitysReviewIsBrokenDownByCounty() throws {
        let ct = try Self.fiveYears()
        let markdown = Self.lines(try ct.run("summary", "--from", "2019", "--to", "2023", "--city", "孝感", "--format", "markdown").stdout)
        #expect(markdown.first == "## 2019—2023年孝感市专案工作回顾")
        #expect(markdown.contains("五年来，孝感市共立专案1起，抓获犯罪嫌疑人506名（其中扩线深挖抓获169名）。"))
        #expect(markdown.contains("| 区县 | 2019 | 2020 | 2021 | 2022 | 2023 | 抓获合计 | 专案 | 扩线深挖 | 团伙 | 环节 |"))
        #expect(markdown.contains("| 汉川 |    0 |    0 |    0 |    0 |  506 |      506 |    1 |      169 |    0 |    0 |"))
        #expect(markdown.contains("| 2021 |    0 |    0 |        0 |        0 |    0 |    0 | 无记录   |"))
    }

    @Test func everyFigureEqualsReportByYearOverTheSameYears() throws {
        let ct = try Self.fiveYears()
        let report = try Casetrack.objects(try ct.run("report", "--by", "year", "--from", "2019", "--to", "2023", "--format", "json").stdout)
        let review = try Casetrack.object(try ct.run("summary", "--from", "2019", "--to", "2023", "--format", "json").stdout)
        let byYear = try #require(review["by_year"] as? [[String: Any]])
        let recorded = byYear.filter { $0["has_data"] as? Bool == true }
        let fields = ["cases", "arrests", "arrests_initial", "arrests_extended", "gangs", "links"]
        #expect(report.count == recorded.count)
        for (row, year) in zip(report, recorded) {
            #expect(row["year"] as? Int == year["year"] as? Int)
            let totals = try #require(year["totals"] as? [String: Any])
            for field in fields { #expect(row[field] as? Int == totals[field] as? Int, "\(field) of \(row["year"] ?? "?")") }
        }
        let totals = try #require(review["totals"] as? [String: Any])
        for field in fields {
            #expect(totals[field] as? Int == report.reduce(0) { $0 + ($1[field] as? Int ?? 0) }, "\(field) over the period")
        }
    }

    @Test func jsonHasTheDocumentedShapeWithEmptyYearsKept() throws {
        let ct = try Self.fiveYears()
        let json = try Casetrack.object(try ct.run("summary", "--from", "2019", "--to", "2023", "--format", "json").stdout)
        #expect(Set(json.keys) == ["from", "to", "has_data", "totals", "by_year", "by_city", "top_cases"])
        #expect(json["from"] as? Int == 2019 && json["to"] as? Int == 2023 && json["has_data"] as? Bool == true)
        let years = try #require(json["by_year"] as? [[String: Any]])
        #expect(years.map { $0["year"] as? Int } == [2019, 2020, 2021, 2022, 2023])
        #expect(years.allSatisfy { Set($0.keys) == ["year", "has_data", "totals", "previous", "change"] })
        #expect(years.map { $0["has_data"] as? Bool } == [true, true, false, true, true])
        #expect((years[0]["previous"] as? [String: Any])?["arrests"] as? Int == 100, "the first year is compared with 2018")
        #expect((years[0]["change"] as? [String: Any])?["arrests"] as? Double == 1)
        #expect((years[2]["change"] as? [String: Any])?["arrests"] is NSNull, "an empty year is no fall of 100 %")
        #expect(years[3]["previous"] is NSNull)
        #expect((years[4]["change"] as? [String: Any])?["arrests"] as? Double == 1.573)
        let cities = try #require(json["by_city"] as? [[String: Any]])
        #expect(cities.map { $0["city"] as? String } == ["襄阳", "孝感", "鄂州", "武汉", "黄石"])
        #expect(cities.allSatisfy { Set($0.keys) == ["city", "full_name", "totals", "by_year"] })
        let ezhou = try #require(cities[2]["by_year"] as? [[String: Any]])
        #expect(ezhou.map { $0["year"] as? Int } == [2019, 2020, 2021, 2022, 2023])
        #expect(ezhou.map { ($0["totals"] as? [String: Any])?["arrests"] as? Int } == [0, 80, 0, 120, 197])
        let top = try #require(json["top_cases"] as? [[String: Any]])
        #expect(top.map { $0["case"] as? String }.prefix(3) == ["汉川\"6406\"", "襄阳\"1.13\"", "襄阳\"A1\""])
        #expect(Set(top[0].keys) == ["id", "case", "city", "code", "year", "name", "cases", "arrests", "arrests_initial", "arrests_extended", "gangs", "links"])
    }

    @Test func theHTMLPageDrawsALinePerFigureWithAPointPerYearAndNeedsNothingOutside() throws {
        let ct = try Self.fiveYears()
        let html = try ct.run("summary", "--from", "2019", "--to", "2023", "--format", "html").stdout
        let page = PageShape.of(html)
        #expect(page.wellFormed)
        #expect(page.svgFigures == ["arrests", "gangs", "links"])
        #expect(page.polylinePoints == [5, 5, 5])
        #expect(page.tables == 3)
        #expect(html.contains("<h1>2019—2023年全省专案工作回顾</h1>"))
        #expect(html.contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>"))
        #expect(html.components(separatedBy: "http://").count == 4, "only the SVG namespace, once per chart")
        #expect(!html.contains("<script") && !html.contains("<link") && !html.contains("<img") && !html.contains("https://"))
        let withCities = PageShape.of(try ct.run("summary", "--from", "2019", "--to", "2023", "--format", "html", "--city-trends").stdout)
        #expect(withCities.svgFigures == ["arrests", "gangs", "links"] + Array(repeating: "arrests", count: 5))
        #expect(withCities.cityCharts == ["襄阳", "孝感", "鄂州", "武汉", "黄石"])
        #expect(withCities.polylinePoints == Array(repeating: 5, count: 8))
    }

    @Test func aPeriodWithNothingRecordedSaysSoPlainly() throws {
        let ct = try Self.fiveYears()
        let zh = try ct.run("summary", "--from", "2010", "--to", "2014")
        #expect(zh.status == 0 && zh.stderr == "")
        #expect(zh.stdout == "2010—2014年无专案记录。\n")
        #expect(try ct.run("summary", "--from", "2010", "--to", "2014", "--lang", "en").stdout == "Nothing is recorded in 2010–2014.\n")
        #expect(try ct.run("summary", "--from", "2019", "--to", "2021", "--city", "黄石").stdout == "2019—2021年黄石市无专案记录。\n")
        #expect(try ct.run("summary", "--from", "2010", "--to", "2014", "--format", "markdown").stdout
            == "## 2010—2014年全省专案工作回顾\n\n2010—2014年无专案记录。\n")
        let json = try Casetrack.object(try ct.run("summary", "--from", "2010", "--to", "2012", "--format", "json").stdout)
        #expect(json["has_data"] as? Bool == false)
        #expect((json["by_year"] as? [[String: Any]])?.map { $0["has_data"] as? Bool } == [false, false, false])
        #expect((json["by_city"] as? [Any])?.isEmpty == true && (json["top_cases"] as? [Any])?.isEmpty == true)
        let html = PageShape.of(try ct.run("summary", "--from", "2010", "--to", "2012", "--format", "html").stdout)
        #expect(html.wellFormed && html.svgFigures.isEmpty && html.tables == 0)
    }

    @Test func badFromAndToAreRefusedWithClearErrors() throws {
        let ct = try Self.fiveYears()
        func firstLine(_ arguments: String...) throws -> (Int32, String) {
            let result = try ct.run(["summary"] + arguments)
            return (result.status, Self.lines(result.stderr).first ?? "")
        }
        #expect(try firstLine("--from", "2019") == (64, "Error: --from needs --to: a review runs from one year to another (--from 2019 --to 2023)."))
        #expect(try firstLine("--to", "2023") == (64, "Error: --to needs --from: a review runs from one year to another (--from 2019 --to 2023)."))
        #expect(try firstLine("--year", "2023", "--from", "2019", "--to", "2023")
            == (64, "Error: --year and --from/--to cannot be combined: --year summarises one year, --from and --to review several."))
        #expect(try firstLine() == (64, "Error: Give --year YEAR for a year, or --from YEAR --to YEAR for a review of several years."))
        #expect(try firstLine("--from", "2023", "--to", "2019")
            == (1, "Error: --from 2023 is after --to 2019; a review runs from the earlier year to the later"))
        #expect(try firstLine("--from", "2019-05", "--to", "2023")
            == (1, "Error: --from must be a year from 1949 to 2100 (YYYY), got '2019-05'"))
        #expect(try firstLine("--from", "2019", "--to", "二〇二三")
            == (1, "Error: --to must be a year from 1949 to 2100 (YYYY), got '二〇二三'"))
        #expect(try firstLine("--from", "1990", "--to", "2023")
            == (1, "Error: --from 1990 --to 2023 spans 34 years; a review covers at most 20"))
        #expect(try firstLine("--from", "2019", "--to", "2023", "--city-trends")
            == (64, "Error: --city-trends draws in the HTML page of a review: use it with --from, --to and --format html."))
    }

    @Test func reportByYearChartDrawsABarPerYearForEachFigureWithEmptyYearsAtZero() throws {
        var ct = try Self.fiveYears()
        ct.environment["COLUMNS"] = "40"
        let result = try ct.run("report", "--by", "year", "--from", "2019", "--to", "2023", "--chart")
        #expect(result.status == 0)
        #expect(result.stdout.hasSuffix("""
            合计 total      9     1602             1433               169     27     14

            arrests
            2019 ###### 200
            2020 ## 80
            2021  0
            2022 ########### 370
            2023 ############################# 952

            gangs
            2019 ########## 4
            2020 ### 1
            2021  0
            2022 ######################### 10
            2023 ############################## 12

            links
            2019 ######### 2
            2020  0
            2021  0
            2022 ###################### 5
            2023 ############################### 7

            """))
        // Other keys keep one bar of arrests per row.
        let byCity = try ct.run("report", "--by", "city", "--year", "2023", "--chart")
        #expect(Self.lines(byCity.stdout).contains("arrests"))
        #expect(!Self.lines(byCity.stdout).contains("gangs"))
    }
}

/// What an HTML page holds, read with an XML parser.
struct PageShape {
    var wellFormed = false
    var svgFigures: [String] = []
    var polylinePoints: [Int] = []
    var cityCharts: [String] = []
    var tables = 0

    static func of(_ html: String) -> PageShape {
        final class Reader: NSObject, XMLParserDelegate {
            var shape = PageShape()
            func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
                switch name {
                case "svg": if let figure = attributes["data-figure"] { shape.svgFigures.append(figure) }
                case "polyline": shape.polylinePoints.append(attributes["points"]?.split(separator: " ").count ?? 0)
                case "figure": if let city = attributes["data-city"] { shape.cityCharts.append(city) }
                case "table": shape.tables += 1
                default: break
                }
            }
        }
        let reader = Reader()
        let parser = XMLParser(data: Data(html.utf8))
        parser.delegate = reader
        reader.shape.wellFormed = parser.parse()
        return reader.shape
    }
}
