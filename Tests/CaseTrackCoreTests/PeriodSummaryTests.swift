import Foundation
#if canImport(FoundationXML)
    import FoundationXML
#endif
import Testing
@testable import CaseTrackCore

/// The review of several years, on a data set worked out by hand (CaseTrackCLITests/Fixtures/five-years.jsonl):
///
/// | year | cases | arrests | extended | gangs | links | arrests against the year before |
/// |---|---|---|---|---|---|---|
/// | 2018 (before) | 1 | 100 | 0 | 0 | 0 | |
/// | 2019 | 2 | 200 (襄阳 150, 武汉 50) | 0 | 4 | 2 | +100.00 % |
/// | 2020 | 1 | 80 (鄂州 E1) | 0 | 1 | 0 | −60.00 % |
/// | 2021 | nothing recorded | | | | | |
/// | 2022 | 3 | 370 (襄阳 200, 鄂州 100 + E1's 20 dated 2022-05, 黄石 50) | 0 | 10 | 5 | 新增 |
/// | 2023 | 3 | 952 (汉川 337 + 169 extended, 襄阳 249, 鄂州 197) | 169 | 12 | 7 | +157.30 % |
/// | 2024 (after) | 1 | 999 | | | | |
///
/// 2019–2023: 9 cases, 1602 arrests (1433 + 169), 27 gangs, 14 links. By city: 襄阳 599, 孝感 (汉川) 506,
/// 鄂州 397, 武汉 50, 黄石 50.
@Suite struct PeriodSummaryTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("CaseTrackCLITests/Fixtures/five-years.jsonl").path

    static func store() throws -> CaseStore {
        let store = try TestStore.empty()
        _ = try store.importDocuments(from: fixture)
        return store
    }

    static func review(city: String? = nil) throws -> PeriodSummary {
        try store().periodSummary(from: "2019", to: "2023", city: city)
    }

    @Test func everyYearOfThePeriodIsListedWithAnEmptyYearAsZero() throws {
        let review = try Self.review()
        #expect(review.byYear.map(\.year) == [2019, 2020, 2021, 2022, 2023])
        #expect(review.byYear.map(\.recorded) == [true, true, false, true, true])
        #expect(review.byYear.map(\.figures.arrests) == [200, 80, 0, 370, 952])
        #expect(review.byYear[2].figures == Figures())
    }

    @Test func theFirstYearComparesWithTheYearBeforeThePeriod() throws {
        let first = try Self.review().byYear[0]
        #expect(first.previous?.arrests == 100)
        #expect(first.change.arrests == .ratio(1))
    }

    @Test func aYearAfterAnEmptyYearIsNewAndAnEmptyYearHasNoPrevious() throws {
        let years = try Self.review().byYear
        #expect(years[2].previous?.arrests == 80, "the empty year knows the year before it")
        #expect(years[3].previous == nil)
        #expect(years[3].change.arrests == .new)
        #expect(years[4].change.arrests == .ratio(1.573))
    }

    @Test func periodTotalsAreTheSumOfTheYears() throws {
        let review = try Self.review()
        #expect(review.totals == Figures(cases: 9, arrestsInitial: 1433, arrestsExtended: 169, gangs: 27, links: 14))
        #expect(review.recorded)
    }

    @Test func figuresEqualTheReportByYearOverTheSamePeriod() throws {
        let store = try Self.store()
        let report = try store.report(by: [.year], filter: CaseFilter(from: "2019", to: "2023"))
        let review = try store.periodSummary(from: "2019", to: "2023")
        let recorded = review.byYear.filter(\.recorded)
        #expect(report.rows.map(\.keys) == recorded.map { [.number($0.year)] })
        #expect(report.rows.map(\.figures) == recorded.map(\.figures))
        #expect(report.total == review.totals)
    }

    @Test func citiesRollUpCountyLevelCitiesAndRunAcrossTheYears() throws {
        let review = try Self.review()
        #expect(review.byDivision.map(\.name) == ["襄阳", "孝感", "鄂州", "武汉", "黄石"])
        #expect(review.byDivision[0].byYear.map(\.arrests) == [150, 0, 0, 200, 249])
        #expect(review.byDivision[2].byYear.map(\.arrests) == [0, 80, 0, 120, 197], "E1's 20 dated 2022-05 count in 2022")
        #expect(review.byDivision.map(\.totals).reduce(Figures(), +) == review.totals)
    }

    @Test func aDivisionsReviewBreaksDownByCounty() throws {
        let review = try Self.review(city: "孝感")
        #expect(review.byDivision.map(\.name) == ["汉川"])
        #expect(review.totals.arrests == 506)
        #expect(review.topCases.map(\.code) == ["6406"])
    }

    @Test func topCasesCountTheirFiguresInsideThePeriodOnly() throws {
        let top = try Self.review().topCases
        #expect(top.map(\.code) == ["6406", "1.13", "A1", "9.9", "C1", "E1", "B1", "W1", "D1"])
        #expect(top.first(where: { $0.code == "E1" })?.figures.arrests == 100)
        #expect(!top.contains { $0.code == "Z1" || $0.code == "W2" })
    }

    @Test func aPeriodWithNothingRecordedIsStillEveryYearAtZero() throws {
        let review = try Self.store().periodSummary(from: "2010", to: "2012")
        #expect(!review.recorded)
        #expect(review.byYear.map(\.year) == [2010, 2011, 2012])
        #expect(review.byDivision.isEmpty && review.topCases.isEmpty)
        #expect(PeriodSummaryRenderer(review, language: .zh).prose() == ["2010—2012年无专案记录。"])
        #expect(PeriodSummaryRenderer(review, language: .en).prose() == ["Nothing is recorded in 2010–2012."])
    }

    @Test func badYearsAreRefusedWithTheFieldNamed() throws {
        let store = try Self.store()
        #expect(throws: CaseTrackError.invalidValue(field: "--from", value: "2019-05", expected: "a year from 1949 to 2100 (YYYY)")) {
            try store.periodSummary(from: "2019-05", to: "2023")
        }
        #expect(throws: CaseTrackError.invalidValue(field: "--to", value: "soon", expected: "a year from 1949 to 2100 (YYYY)")) {
            try store.periodSummary(from: "2019", to: "soon")
        }
        #expect(throws: CaseTrackError.input("--from 2023 is after --to 2019; a review runs from the earlier year to the later")) {
            try store.periodSummary(from: "2023", to: "2019")
        }
        #expect(throws: CaseTrackError.input("--from 2000 --to 2020 spans 21 years; a review covers at most 20")) {
            try store.periodSummary(from: "2000", to: "2020")
        }
        #expect(try store.periodSummary(from: "2001", to: "2020").byYear.count == 20)
        #expect(try store.periodSummary(from: "1949", to: "1950").byYear.first?.previous == nil, "no year before 1949 is asked for")
    }

    @Test func chineseCountsReadAsAReviewWritesThem() {
        #expect([1, 2, 5, 10, 12, 20].map(PeriodSummaryRenderer.chineseCount) == ["一", "两", "五", "十", "十二", "二十"])
    }

    @Test func chineseProseOpensWithTheYearsCountedAndGivesEachYear() throws {
        let prose = PeriodSummaryRenderer(try Self.review(), language: .zh).prose()
        #expect(Array(prose.prefix(7)) == [
            "五年来，全省共立专案9起，抓获犯罪嫌疑人1602名（其中扩线深挖抓获169名），打掉犯罪团伙27个、犯罪环节14个。",
            "2019年，立专案2起，抓获犯罪嫌疑人200名，打掉犯罪团伙4个、犯罪环节2个；抓获人数同比上升100.00%。",
            "2020年，立专案1起，抓获犯罪嫌疑人80名，打掉犯罪团伙1个；抓获人数同比下降60.00%。",
            "2021年无专案记录。",
            "2022年，立专案3起，抓获犯罪嫌疑人370名，打掉犯罪团伙10个、犯罪环节5个。",
            "2023年，立专案3起，抓获犯罪嫌疑人952名（其中扩线深挖抓获169名），打掉犯罪团伙12个、犯罪环节7个；抓获人数同比上升157.30%。",
            "其中2023年抓获犯罪嫌疑人最多，达952名。",
        ])
        #expect(prose.contains("孝感市：立专案1起，抓获犯罪嫌疑人506名（其中扩线深挖抓获169名）。"))
        let one = try Self.store().periodSummary(from: "2023", to: "2023")
        #expect(PeriodSummaryRenderer(one, language: .zh).prose().first?.hasPrefix("2023年，全省共立专案3起") == true)
        #expect(PeriodSummaryRenderer(one, language: .en).prose().first?.hasPrefix("In 2023, the province opened 3") == true)
        #expect(PeriodSummaryRenderer(one, language: .zh).title == "2023年全省专案工作回顾")
        let three = try Self.store().periodSummary(from: "2021", to: "2023")
        #expect(PeriodSummaryRenderer(three, language: .zh).prose().first?.hasPrefix("三年来，全省共立专案6起") == true)
    }

    @Test func aRunOfYearsWithNothingRecordedIsOneSentenceButEachKeepsItsRow() throws {
        let review = try Self.store().periodSummary(from: "2014", to: "2019")
        let renderer = PeriodSummaryRenderer(review, language: .zh)
        #expect(Array(renderer.prose().prefix(4)) == [
            "六年来，全省共立专案3起，抓获犯罪嫌疑人300名，打掉犯罪团伙4个、犯罪环节2个。",
            "2014—2017年无专案记录。",
            "2018年，立专案1起，抓获犯罪嫌疑人100名。",
            "2019年，立专案2起，抓获犯罪嫌疑人200名，打掉犯罪团伙4个、犯罪环节2个；抓获人数同比上升100.00%。",
        ])
        #expect(PeriodSummaryRenderer(review, language: .en).prose()[1] == "2014–2017: nothing recorded.")
        #expect(renderer.yearTable().rows.map { $0[0] } == ["2014", "2015", "2016", "2017", "2018", "2019"].map { .text($0) })
        #expect(renderer.yearTable().rows.map { $0[7] }.prefix(5) == Array(repeating: .text("无记录"), count: 4) + [.text("新增")])
    }

    @Test func documentsRunChineseYearsOnInOneParagraph() throws {
        let markdown = PeriodSummaryRenderer(try Self.review(), language: .zh).markdown()
        #expect(markdown.contains("\n\n2019年，立专案2起，抓获犯罪嫌疑人200名，打掉犯罪团伙4个、犯罪环节2个；抓获人数同比上升100.00%。2020年，立专案1起，"))
        #expect(markdown.contains("。2021年无专案记录。2022年，"))
        #expect(markdown.contains("\n\n襄阳市：立专案3起，抓获犯罪嫌疑人599名，打掉犯罪团伙26个。\n\n孝感市："))
        let english = PeriodSummaryRenderer(try Self.review(), language: .en).markdown()
        #expect(english.contains("\n\n2021: nothing recorded.\n\n2022: 3 cases"))
    }

    @Test func onATerminalEachFigureGetsABarPerYearAndOffItNone() throws {
        let renderer = PeriodSummaryRenderer(try Self.review(), language: .zh)
        #expect(!renderer.text(chartWidth: nil).contains("逐年趋势"))
        let text = renderer.text(chartWidth: 30)
        let start = try #require(text.range(of: "逐年趋势\n")).lowerBound
        let trend = String(text[start...])
        #expect(trend == """
            逐年趋势

            抓获犯罪嫌疑人（名）
            2019 #### 200
            2020 ## 80
            2021  0
            2022 ####### 370
            2023 ################### 952

            打掉犯罪团伙（个）
            2019 ####### 4
            2020 ## 1
            2021  0
            2022 ################# 10
            2023 #################### 12

            打掉犯罪环节（个）
            2019 ###### 2
            2020  0
            2021  0
            2022 ############### 5
            2023 ##################### 7

            """)
    }

    @Test func htmlHasOneLineChartPerFigureWithAPointPerYear() throws {
        let html = PeriodSummaryRenderer(try Self.review(), language: .zh).html()
        let shape = SVGShape.of(html)
        #expect(shape.wellFormed, "the page is well-formed")
        #expect(shape.svgFigures == ["arrests", "gangs", "links"])
        #expect(shape.polylinePointCounts == [5, 5, 5])
        #expect(shape.firstPoints.count == 5)
        #expect(!html.contains("<script") && !html.contains("<link") && !html.contains("<img"))
        let withCities = SVGShape.of(PeriodSummaryRenderer(try Self.review(), language: .zh).html(cityTrends: true))
        #expect(withCities.svgFigures.count == 3 + 5, "one more chart per city")
        #expect(withCities.polylinePointCounts.allSatisfy { $0 == 5 })
    }
}

/// What an HTML page's SVG charts hold, read with an XML parser.
struct SVGShape {
    var wellFormed = false
    var svgFigures: [String] = []
    var polylinePointCounts: [Int] = []
    var firstPoints: [String] = []

    static func of(_ html: String) -> SVGShape {
        final class Reader: NSObject, XMLParserDelegate {
            var shape = SVGShape()
            func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
                if name == "svg", let figure = attributes["data-figure"] { shape.svgFigures.append(figure) }
                if name == "polyline", let points = attributes["points"] {
                    let list = points.split(separator: " ").map(String.init)
                    shape.polylinePointCounts.append(list.count)
                    if shape.firstPoints.isEmpty { shape.firstPoints = list }
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
