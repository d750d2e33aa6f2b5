import Foundation
#if canImport(FoundationXML)
    import FoundationXML
#endif
import Testing
@testable import CaseTrackCore

/// A two-year data set worked out by hand:
///
/// | city | 2022 | 2023 |
/// |---|---|---|
/// | 襄阳 | 200 arrests, 10 gangs | 249 arrests, 12 gangs (+24.50 %) |
/// | 鄂州 | 100 arrests, 5 links | 197 arrests, 7 links (+97.00 %) |
/// | 黄石 | 50 arrests | nothing (−100 %) |
/// | 孝感 (汉川) | nothing | 337 + 169 extended (new) |
///
/// Province: 3 cases both years; arrests 350 → 952 (+172.00 %), initial 350 → 783 (+123.71 %),
/// extended 0 → 169 (new), gangs 10 → 12 (+20.00 %), links 5 → 7 (+40.00 %).
@Suite struct SummaryTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("CaseTrackCLITests/Fixtures/two-years.jsonl").path

    static func store() throws -> CaseStore {
        let store = try TestStore.empty()
        _ = try store.importDocuments(from: fixture)
        return store
    }

    @Test func totalsPreviousYearAndChangesMatchTheHandWorkedFigures() throws {
        let summary = try Self.store().summary(year: "2023")
        #expect(summary.totals == Figures(cases: 3, arrestsInitial: 783, arrestsExtended: 169, gangs: 12, links: 7))
        #expect(summary.previous == Figures(cases: 3, arrestsInitial: 350, arrestsExtended: 0, gangs: 10, links: 5))
        let change = summary.change
        #expect(change.cases == .ratio(0))
        #expect(change.arrests == .ratio(1.72))
        #expect(change.arrestsInitial == .ratio(1.2371))
        #expect(change.arrestsExtended == .new)
        #expect(change.gangs == .ratio(0.2))
        #expect(change.links == .ratio(0.4))
    }

    @Test func citiesNewThisYearAndDroppedToZeroAreBothListed() throws {
        let summary = try Self.store().summary(year: "2023")
        let byName = Dictionary(uniqueKeysWithValues: summary.byDivision.map { ($0.name, $0) })
        #expect(summary.byDivision.map(\.name) == ["孝感", "襄阳", "鄂州", "黄石"])
        #expect(byName["孝感"]?.change.arrests == .new)
        #expect(byName["黄石"]?.current == Figures())
        #expect(byName["黄石"]?.change.arrests == .ratio(-1))
        #expect(byName["襄阳"]?.change.arrests == .ratio(0.245))
        #expect(byName["鄂州"]?.change.arrests == .ratio(0.97))
    }

    @Test func aYearWithNothingBeforeHasNoPreviousAndNoRatios() throws {
        let summary = try Self.store().summary(year: "2022")
        #expect(summary.previous == nil)
        #expect(summary.change.arrests == .new)
        #expect(summary.change.arrests.ratio == nil)
    }

    @Test func topCasesAreRankedByArrestsInTheYear() throws {
        let top = try Self.store().summary(year: "2023").topCases
        #expect(top.map(\.code) == ["6406", "1.13", "9.9"])
        #expect(top.first?.figures.arrests == 506)
    }

    @Test func aDivisionSummaryBreaksDownByCounty() throws {
        let summary = try Self.store().summary(year: "2023", city: "孝感")
        #expect(summary.totals.arrests == 506)
        #expect(summary.byDivision.map(\.name) == ["汉川"])
        #expect(SummaryRenderer(summary, language: .zh).prose().first == "2023年，孝感市共立专案1起，抓获犯罪嫌疑人506名（其中扩线深挖抓获169名）。")
    }

    @Test func chineseProseReadsLikeABulletin() throws {
        let prose = SummaryRenderer(try Self.store().summary(year: "2023"), language: .zh).prose()
        #expect(prose[0] == "2023年，全省共立专案3起，抓获犯罪嫌疑人952名（其中扩线深挖抓获169名），打掉犯罪团伙12个、犯罪环节7个。")
        #expect(prose[1] == "与2022年相比，立专案数同比持平，抓获犯罪嫌疑人同比上升172.00%，其中扩线深挖抓获新增，打掉犯罪团伙同比上升20.00%，打掉犯罪环节同比上升40.00%。")
        #expect(prose.contains("襄阳市：立专案1起，抓获犯罪嫌疑人249名，打掉犯罪团伙12个；抓获人数同比上升24.50%。"))
        #expect(prose.contains("黄石市：2023年无专案记录（2022年立专案1起，抓获犯罪嫌疑人50名）。"))
        #expect(prose.contains("孝感市：立专案1起，抓获犯罪嫌疑人506名（其中扩线深挖抓获169名）；抓获人数新增。"))
    }

    @Test func englishProseCarriesTheSameFigures() throws {
        let prose = SummaryRenderer(try Self.store().summary(year: "2023"), language: .en).prose()
        #expect(prose[0] == "In 2023, the province opened 3 special cases and arrested 952 suspects (169 of them in the extended investigation), and dismantled 12 criminal gangs and 7 links of the criminal chain.")
        #expect(prose[1].contains("arrests +172.00% YoY"))
        #expect(prose.contains("Huangshi: nothing recorded in 2023 (2022: 1 case, 50 arrested)."))
    }

    @Test func jsonHasTheDocumentedShape() throws {
        let json = SummaryRenderer(try Self.store().summary(year: "2023"), language: .zh).json()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["year", "has_data", "totals", "previous", "change", "by_city", "top_cases"])
        #expect(object["has_data"] as? Bool == true)
        let top = try #require((object["top_cases"] as? [[String: Any]])?.first)
        #expect(Set(top.keys) == ["id", "case", "city", "code", "year", "name", "cases", "arrests", "arrests_initial", "arrests_extended", "gangs", "links"])
        #expect(top["case"] as? String == "汉川\"6406\"")
        let change = try #require(object["change"] as? [String: Any])
        #expect(Set(change.keys) == ["cases", "arrests", "arrests_initial", "arrests_extended", "gangs", "links"])
        #expect(change["arrests"] as? Double == 1.72)
        #expect(change["arrests_extended"] is NSNull)
        let byCity = try #require(object["by_city"] as? [[String: Any]])
        #expect(byCity.count == 4)
        #expect((byCity.last?["change"] as? [String: Any])?["arrests"] as? Double == -1)
        #expect(((object["totals"] as? [String: Any])?["arrests"]) as? Int == 952)
    }

    @Test func markdownHasProseAndATable() throws {
        let markdown = SummaryRenderer(try Self.store().summary(year: "2023"), language: .zh).markdown()
        #expect(markdown.hasPrefix("## 2023年全省专案工作统计"))
        #expect(markdown.contains("| 城市 | 专案 | 抓获 |"))
        #expect(markdown.contains("| 黄石 "))
        #expect(markdown.contains("−100.00%"))
    }

    @Test func htmlParsesAndHoldsOneChartWithABarPerCity() throws {
        let html = SummaryRenderer(try Self.store().summary(year: "2023"), language: .zh).html()
        let counter = ElementCounter()
        let parser = XMLParser(data: Data(html.utf8))
        parser.delegate = counter
        #expect(parser.parse(), "the page is well-formed")
        #expect(counter.count["svg"] == 1)
        #expect(counter.currentBars == 4)
        #expect(!html.contains("http://") || html.components(separatedBy: "http://").count == 2, "no external resources besides the SVG namespace")
        #expect(!html.contains("<script") && !html.contains("<link"))
    }

    @Test func aYearWithNothingRecordedHasNoChangeAndGivesTheYearBeforeForReference() throws {
        let summary = try Self.store().summary(year: "2024")
        #expect(!summary.recorded)
        #expect(summary.totals == Figures())
        #expect(summary.previous?.arrests == 952)
        #expect(summary.byDivision.map(\.name) == ["孝感", "襄阳", "鄂州"], "ordered by last year's arrests")
        #expect(SummaryRenderer(summary, language: .zh).prose() == [
            "2024年无专案记录。",
            "供参考：2023年，全省共立专案3起，抓获犯罪嫌疑人952名（其中扩线深挖抓获169名），打掉犯罪团伙12个、犯罪环节7个。",
        ])
        #expect(SummaryRenderer(summary, language: .en).prose() == [
            "Nothing is recorded in 2024.",
            "For reference, in 2023, the province opened 3 special cases and arrested 952 suspects (169 of them in the extended investigation), and dismantled 12 criminal gangs and 7 links of the criminal chain.",
        ])
    }

    @Test func aYearWithNothingRecordedEitherYearSaysOnlyThat() throws {
        let summary = try Self.store().summary(year: "2030", city: "襄阳")
        #expect(!summary.recorded && summary.previous == nil && summary.byDivision.isEmpty)
        #expect(SummaryRenderer(summary, language: .zh).text(chartWidth: 80) == "2030年襄阳市无专案记录。\n")
        #expect(SummaryRenderer(summary, language: .en).text(chartWidth: 80) == "Nothing is recorded for Xiangyang in 2030.\n")
    }

    @Test func anHTMLPageForAYearWithNothingRecordedHasNoChartButLastYearsTable() throws {
        let html = SummaryRenderer(try Self.store().summary(year: "2024"), language: .zh).html()
        let counter = ElementCounter()
        let parser = XMLParser(data: Data(html.utf8))
        parser.delegate = counter
        #expect(parser.parse(), "the page is well-formed")
        #expect(counter.count["svg"] == nil)
        #expect(counter.count["table"] == 1)
        #expect(html.contains("<p>2024年无专案记录。</p>\n"))
        #expect(html.contains("<h2>2023年各地情况（供参考）</h2>\n"))
    }

    @Test func englishTitlesNameTheProvinceOrTheDivisionFirst() throws {
        let store = try Self.store()
        #expect(SummaryRenderer(try store.summary(year: "2023"), language: .en).title == "Hubei special cases, 2023")
        #expect(SummaryRenderer(try store.summary(year: "2023", city: "襄阳"), language: .en).title == "Xiangyang special cases, 2023")
        #expect(SummaryRenderer(try store.summary(year: "2023"), language: .zh).title == "2023年全省专案工作统计")
    }

    @Test func topCasesAreNamedByTheirReferenceWithTheYearWhenTheCodeWasReused() throws {
        let store = try Self.store()
        let reused = try store.addCase(CaseFields(city: "襄阳", code: "A1", year: "2023"))
        _ = try store.addArrest(to: .id(reused.id), ArrestFields(count: "900"))
        let summary = try store.summary(year: "2023")
        #expect(summary.topCases.map(\.reference) == ["襄阳\"A1\"@2023", "汉川\"6406\"", "襄阳\"1.13\"", "鄂州\"9.9\""])
        let table = SummaryRenderer(summary, language: .zh).topCaseTable()
        #expect(table.columns == ["专案", "名称", "抓获", "扩线深挖", "团伙", "环节"])
        #expect(table.rows.first?.first == .text("襄阳\"A1\"@2023"))
    }

    @Test func changesAreNeverDivisionsByZero() {
        #expect(Change(current: 5, previous: 0) == .new)
        #expect(Change(current: 0, previous: 0) == .none)
        #expect(Change(current: 0, previous: 7) == .ratio(-1))
        #expect(Change(current: 952, previous: 623) == .ratio(0.5281))
        #expect(SummaryRenderer.percent(0.5277) == "52.77%")
    }
}

final class ElementCounter: NSObject, XMLParserDelegate {
    var count: [String: Int] = [:]
    var currentBars = 0

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        count[name, default: 0] += 1
        if name == "rect", let classes = attributes["class"]?.split(separator: " "), classes.contains("bar"), classes.contains("current") {
            currentBars += 1
        }
    }
}
