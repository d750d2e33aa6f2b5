import Foundation

/// Writes a `PeriodSummary` as a provincial review does: prose, a table of the years, each city
/// across the years, the top cases and, on a terminal or in HTML, the trend of each figure.
public struct PeriodSummaryRenderer: Sendable {
    public var summary: PeriodSummary
    public var language: Language

    public init(_ summary: PeriodSummary, language: Language) {
        self.summary = summary
        self.language = language
    }

    // MARK: - Words

    /// "2019—2023" (一字线, as Chinese documents write ranges) or "2019–2023" (en dash); one year alone.
    var span: String {
        let (from, to) = (summary.years.lowerBound, summary.years.upperBound)
        return from == to ? "\(from)" : "\(from)\(language == .zh ? "—" : "–")\(to)"
    }

    public var title: String {
        switch language {
        case .zh: return "\(span)年\(summary.area?.fullName ?? "全省")专案工作回顾"
        case .en:
            let place = summary.area.map { SummaryRenderer.englishName($0.pinyin, $0.name) } ?? SummaryRenderer.provinceEnglishName
            return "\(place) special cases, \(span)"
        }
    }

    private var areaName: String {
        switch language {
        case .zh: return summary.area?.fullName ?? "全省"
        case .en: return summary.area.map { SummaryRenderer.englishName($0.pinyin, $0.name) } ?? "the province"
        }
    }

    /// 五, 十二, 两 (for two): how a review counts its years in "五年来".
    static func chineseCount(_ n: Int) -> String {
        let digits = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"]
        switch n {
        case 2: return "两"
        case 0..<10: return digits[n]
        case 10: return "十"
        case 11..<20: return "十" + digits[n - 10]
        case 20..<100: return digits[n / 10] + "十" + (n % 10 == 0 ? "" : digits[n % 10])
        default: return String(n)
        }
    }

    static func englishCount(_ n: Int) -> String {
        let words = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
            "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"]
        return n < words.count ? words[n] : String(n)
    }

    /// The review's sentences: the period's totals ("五年来，全省共立专案…"), one per year (a run of years
    /// with nothing recorded in one sentence; the change of arrests only against a year that has
    /// figures), the year with most arrests, then one per division. A period with nothing recorded
    /// says only that.
    public func prose() -> [String] { paragraphs().flatMap { $0 } }

    /// The sentences of `prose()` in paragraphs: the totals, the years, then each division. A terminal
    /// gets a sentence a line; a document gets a paragraph of each.
    public func paragraphs() -> [[String]] {
        guard summary.recorded else {
            switch language {
            case .zh: return [["\(span)年\(summary.area?.fullName ?? "")无专案记录。"]]
            case .en:
                let place = summary.area.map { " for " + SummaryRenderer.englishName($0.pinyin, $0.name) } ?? ""
                return [["Nothing is recorded\(place) in \(span)."]]
            }
        }
        var years: [String] = []
        var empty: [Int] = []
        func closeEmptyRun() {
            guard let first = empty.first, let last = empty.last else { return }
            let run = first == last ? "\(first)" : "\(first)\(language == .zh ? "—" : "–")\(last)"
            years.append(language == .zh ? "\(run)年无专案记录。" : "\(run): nothing recorded.")
            empty = []
        }
        for year in summary.byYear {
            if year.recorded {
                closeEmptyRun()
                years.append(yearSentence(year))
            } else {
                empty.append(year.year)
            }
        }
        closeEmptyRun()
        // Chinese years run on in one paragraph, as a review prints them; English ones, each led by
        // its year, read better apart.
        let yearParagraphs = language == .zh ? [years + peakSentence()] : (years + peakSentence()).map { [$0] }
        return [[opening()]] + yearParagraphs + summary.byDivision.map { [divisionSentence($0)] }
    }

    /// A paragraph as one text: Chinese sentences run on, English ones take a space.
    func joined(_ paragraph: [String]) -> String {
        paragraph.joined(separator: language == .zh ? "" : " ")
    }

    private func opening() -> String {
        let t = summary.totals
        let count = summary.years.count
        switch language {
        case .zh:
            let years = count == 1 ? "\(summary.years.lowerBound)年" : "\(Self.chineseCount(count))年来"
            return "\(years)，\(areaName)共立专案\(t.cases)起，抓获犯罪嫌疑人\(t.arrests)名"
                + Self.extendedZH(t) + SummaryRenderer.resultClauseZH(t) + "。"
        case .en:
            let years = count == 1 ? "In \(span)" : "Over the \(Self.englishCount(count)) years \(span)"
            return "\(years), \(areaName) opened \(t.cases) special case\(t.cases == 1 ? "" : "s") and arrested "
                + "\(t.arrests) suspect\(t.arrests == 1 ? "" : "s")"
                + (t.arrestsExtended > 0 ? " (\(t.arrestsExtended) of them in the extended investigation)" : "")
                + SummaryRenderer.resultClauseEN(t) + "."
        }
    }

    private func yearSentence(_ y: YearFigures) -> String {
        let f = y.figures
        let change = y.previous != nil ? y.change.arrests : nil
        switch language {
        case .zh:
            return "\(y.year)年，立专案\(f.cases)起，抓获犯罪嫌疑人\(f.arrests)名" + Self.extendedZH(f)
                + SummaryRenderer.resultClauseZH(f)
                + (change.map { "；抓获人数" + SummaryRenderer.describe($0, language: .zh) } ?? "") + "。"
        case .en:
            return "\(y.year): " + Self.figuresEN(f)
                + (change.map { "; arrests " + SummaryRenderer.describe($0, language: .en) } ?? "") + "."
        }
    }

    /// "其中2023年抓获犯罪嫌疑人最多，达952名。", when more than one year has arrests.
    private func peakSentence() -> [String] {
        let arrests = summary.byYear.map(\.figures.arrests)
        guard let most = arrests.max(), most > 0, arrests.filter({ $0 > 0 }).count > 1 else { return [] }
        let years = summary.byYear.filter { $0.figures.arrests == most }.map(\.year)
        switch language {
        case .zh: return ["其中\(years.map { "\($0)年" }.joined(separator: "、"))抓获犯罪嫌疑人最多，达\(most)名。"]
        case .en: return ["Arrests were highest in \(years.map(String.init).joined(separator: " and ")): \(most)."]
        }
    }

    private func divisionSentence(_ d: DivisionYears) -> String {
        let t = d.totals
        switch language {
        case .zh:
            return "\(d.fullName)：立专案\(t.cases)起，抓获犯罪嫌疑人\(t.arrests)名" + Self.extendedZH(t)
                + SummaryRenderer.resultClauseZH(t) + "。"
        case .en: return "\(SummaryRenderer.englishName(d.pinyin, d.name)): " + Self.figuresEN(t) + "."
        }
    }

    private static func extendedZH(_ f: Figures) -> String {
        f.arrestsExtended > 0 ? "（其中扩线深挖抓获\(f.arrestsExtended)名）" : ""
    }

    /// "2 cases, 300 arrested (169 extended), and dismantled 4 criminal gangs".
    private static func figuresEN(_ f: Figures) -> String {
        "\(f.cases) case\(f.cases == 1 ? "" : "s"), \(f.arrests) arrested"
            + (f.arrestsExtended > 0 ? " (\(f.arrestsExtended) extended)" : "") + SummaryRenderer.resultClauseEN(f)
    }

    // MARK: - Tables

    var yearCaption: String { language == .zh ? "逐年情况" : "Year by year" }
    var divisionCaption: String {
        switch language {
        case .zh: return "各地情况（逐年为抓获犯罪嫌疑人数）"
        case .en: return "By \(summary.area == nil ? "city" : "county") (arrests by year)"
        }
    }
    var topCaseCaption: String {
        language == .zh ? "\(Self.chineseCount(summary.years.count))年来抓获人数居前的专案" : "Top cases by arrests, \(span)"
    }
    var trendCaption: String { language == .zh ? "逐年趋势" : "Trend by year" }

    /// One row per year of the period, those with nothing recorded included, and the period's total.
    public func yearTable() -> Table {
        let rows = summary.byYear.map { y -> [Cell] in
            let f = y.figures
            let change: String
            if !y.recorded {
                change = language == .zh ? "无记录" : "no records"
            } else {
                change = SummaryRenderer.cell(y.change.arrests, language: language)
            }
            return [.text(String(y.year)), .number(f.cases), .number(f.arrests), .number(f.arrestsInitial),
                .number(f.arrestsExtended), .number(f.gangs), .number(f.links), .text(change)]
        }
        let t = summary.totals
        let total: [Cell] = [.text(language == .zh ? "合计" : "total"), .number(t.cases), .number(t.arrests),
            .number(t.arrestsInitial), .number(t.arrestsExtended), .number(t.gangs), .number(t.links), .text("")]
        let columns = language == .zh
            ? ["年份", "专案", "抓获", "首次抓获", "扩线深挖", "团伙", "环节", "抓获同比"]
            : ["year", "cases", "arrests", "initial", "extended", "gangs", "links", "arrests YoY"]
        return Table(columns: columns, rows: rows, total: total)
    }

    /// Each division's arrests year by year, then its totals over the period.
    public func divisionTable() -> Table {
        let years = summary.years.map(String.init)
        func row(_ label: String, _ byYear: [Figures], _ t: Figures) -> [Cell] {
            [.text(label)] + byYear.map { .number($0.arrests) }
                + [.number(t.arrests), .number(t.cases), .number(t.arrestsExtended), .number(t.gangs), .number(t.links)]
        }
        let rows = summary.byDivision.map { d in
            row(language == .zh ? d.name : SummaryRenderer.englishName(d.pinyin, d.name), d.byYear, d.totals)
        }
        let total = row(language == .zh ? "合计" : "total", summary.byYear.map(\.figures), summary.totals)
        let columns = language == .zh
            ? [summary.area == nil ? "城市" : "区县"] + years + ["抓获合计", "专案", "扩线深挖", "团伙", "环节"]
            : [summary.area == nil ? "city" : "county"] + years + ["arrests", "cases", "extended", "gangs", "links"]
        return Table(columns: columns, rows: rows, total: total)
    }

    public func topCaseTable() -> Table { SummaryRenderer.topCaseTable(summary.topCases, language: language) }

    /// Arrests, gangs and links year by year, for the terminal's bars and the page's lines.
    public func trendSeries() -> [YearTrend.Series] {
        YearTrend.series(summary.byYear.map(\.figures), captions: YearTrend.captions(language))
    }

    // MARK: - Formats

    /// The review for a terminal or a file; `chartWidth` (a terminal's) adds the trend of each figure.
    public func text(chartWidth: Int?) -> String {
        guard summary.recorded else { return prose().joined(separator: "\n") + "\n" }
        var out = title + "\n\n" + prose().joined(separator: "\n") + "\n"
        out += "\n" + yearCaption + "\n" + Renderer.render(yearTable(), as: .table)
        out += "\n" + divisionCaption + "\n" + Renderer.render(divisionTable(), as: .table)
        if !summary.topCases.isEmpty {
            out += "\n" + topCaseCaption + "\n" + Renderer.render(topCaseTable(), as: .table)
        }
        if let chartWidth {
            out += "\n" + trendCaption + "\n\n"
            out += YearTrend.render(years: Array(summary.years), series: trendSeries(), width: chartWidth)
        }
        return out
    }

    public func markdown() -> String {
        var out = "## \(title)\n\n" + paragraphs().filter { !$0.isEmpty }.map(joined).joined(separator: "\n\n") + "\n"
        guard summary.recorded else { return out }
        out += "\n### \(yearCaption)\n\n" + Renderer.render(yearTable(), as: .markdown)
        out += "\n### \(divisionCaption)\n\n" + Renderer.render(divisionTable(), as: .markdown)
        if !summary.topCases.isEmpty {
            out += "\n### \(topCaseCaption)\n\n" + Renderer.render(topCaseTable(), as: .markdown)
        }
        return out
    }

    /// The documented JSON shape (README, "The review of several years").
    public func json() -> String {
        let figures = SummaryRenderer.figuresJSON
        let byYear = summary.byYear.map { y in
            "{\"year\":\(y.year),\"has_data\":\(y.recorded),\"totals\":\(figures(y.figures)),"
                + "\"previous\":\(y.previous.map(figures) ?? "null"),"
                + "\"change\":\(SummaryRenderer.changesJSON(y.recorded ? y.change : nil))}"
        }
        let byCity = summary.byDivision.map { d in
            "{\"city\":\(JSONText.string(d.name)),\"full_name\":\(JSONText.string(d.fullName)),"
                + "\"totals\":\(figures(d.totals)),\"by_year\":["
                + zip(summary.years, d.byYear).map { "{\"year\":\($0),\"totals\":\(figures($1))}" }.joined(separator: ",")
                + "]}"
        }
        let top = summary.topCases.map(SummaryRenderer.topCaseJSON)
        func list(_ items: [String]) -> String {
            "[" + (items.isEmpty ? "" : "\n    " + items.joined(separator: ",\n    ") + "\n  ") + "]"
        }
        return """
            {
              "from": \(summary.years.lowerBound),
              "to": \(summary.years.upperBound),
              "has_data": \(summary.recorded),
              "totals": \(figures(summary.totals)),
              "by_year": \(list(byYear)),
              "by_city": \(list(byCity)),
              "top_cases": \(list(top))
            }

            """
    }
}
