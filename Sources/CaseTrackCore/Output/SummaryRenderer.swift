import Foundation

/// The language of a summary's prose.
public enum Language: String, CaseIterable, Sendable {
    case zh, en
}

/// The formats of `summary`.
public enum SummaryFormat: String, CaseIterable, Sendable {
    case text, markdown, json, html
}

/// Writes a `YearSummary` as a bulletin would: prose, tables, and (for HTML) a chart.
public struct SummaryRenderer: Sendable {
    public var summary: YearSummary
    public var language: Language

    public init(_ summary: YearSummary, language: Language) {
        self.summary = summary
        self.language = language
    }

    // MARK: - Words

    /// "同比上升52.77%", "同比下降9.20%" (no space, as bulletins print them), "新增"; in English
    /// "+52.77% YoY", "−9.20% YoY", "new".
    public func describe(_ change: Change) -> String { Self.describe(change, language: language) }

    static func describe(_ change: Change, language: Language) -> String {
        switch (change, language) {
        case let (.ratio(ratio), .zh):
            if ratio == 0 { return "同比持平" }
            return (ratio > 0 ? "同比上升" : "同比下降") + Self.percent(ratio)
        case let (.ratio(ratio), .en):
            if ratio == 0 { return "unchanged YoY" }
            return (ratio > 0 ? "+" : "\u{2212}") + Self.percent(ratio) + " YoY"
        case (.new, .zh): return "新增"
        case (.new, .en): return "new"
        case (.none, .zh): return "无"
        case (.none, .en): return "none"
        }
    }

    /// The change in a table cell: "+52.77%", "−9.20%", "新增"/"new", "—".
    public func cell(_ change: Change) -> String { Self.cell(change, language: language) }

    static func cell(_ change: Change, language: Language) -> String {
        switch change {
        case let .ratio(ratio):
            return ratio == 0 ? "0.00%" : (ratio > 0 ? "+" : "\u{2212}") + Self.percent(ratio)
        case .new: return language == .zh ? "新增" : "new"
        case .none: return "—"
        }
    }

    static func percent(_ ratio: Double) -> String {
        String(format: "%.2f%%", abs(ratio * 100))
    }

    private var areaName: String {
        switch language {
        case .zh: return summary.area?.fullName ?? "全省"
        case .en: return summary.area.map { Self.englishName($0.pinyin, $0.name) } ?? "the province"
        }
    }

    /// The province's name in English titles.
    static let provinceEnglishName = "Hubei"

    static func englishName(_ pinyin: String?, _ fallback: String) -> String {
        guard let pinyin, let first = pinyin.first else { return fallback }
        return first.uppercased() + pinyin.dropFirst()
    }

    /// The bulletin's sentences: the year's totals, the change against the year before, one line per division.
    /// A year with nothing recorded says so, and gives the year before (if any) for reference.
    public func prose() -> [String] {
        guard summary.recorded else { return unrecordedProse() }
        let t = summary.totals
        let y = summary.year
        var lines: [String] = []
        switch language {
        case .zh:
            lines.append(totalsSentence(year: y, t))
            if summary.previous != nil {
                let c = summary.change
                let parts = [("立专案数", c.cases), ("抓获犯罪嫌疑人", c.arrests), ("其中扩线深挖抓获", c.arrestsExtended),
                    ("打掉犯罪团伙", c.gangs), ("打掉犯罪环节", c.links)]
                    .filter { $0.1 != .none }.map { $0.0 + describe($0.1) }
                lines.append("与\(y - 1)年相比，" + parts.joined(separator: "，") + "。")
            } else {
                lines.append("\(y - 1)年无可比数据。")
            }
            for d in summary.byDivision {
                // A division with nothing this year is said so, with last year's figures, rather
                // than as a row of zeros and a 100 % fall.
                if d.current == Figures() {
                    lines.append("\(d.fullName)：\(y)年无专案记录（\(y - 1)年立专案\(d.previous.cases)起，抓获犯罪嫌疑人\(d.previous.arrests)名）。")
                    continue
                }
                var line = "\(d.fullName)：立专案\(d.current.cases)起，抓获犯罪嫌疑人\(d.current.arrests)名"
                if d.current.arrestsExtended > 0 { line += "（其中扩线深挖抓获\(d.current.arrestsExtended)名）" }
                line += Self.resultClauseZH(d.current)
                line += "；抓获人数\(describe(d.change.arrests))。"
                lines.append(line)
            }
        case .en:
            lines.append("In " + totalsSentence(year: y, t))
            if summary.previous != nil {
                let c = summary.change
                let parts = [("cases", c.cases), ("arrests", c.arrests), ("arrests in the extended investigation", c.arrestsExtended),
                    ("gangs", c.gangs), ("chain links", c.links)]
                    .filter { $0.1 != .none }.map { "\($0.0) \(describe($0.1))" }
                lines.append("Against \(y - 1): " + parts.joined(separator: ", ") + ".")
            } else {
                lines.append("No figures for \(y - 1) to compare with.")
            }
            for d in summary.byDivision {
                if d.current == Figures() {
                    lines.append("\(Self.englishName(d.pinyin, d.name)): nothing recorded in \(y) (\(y - 1): \(d.previous.cases) case\(d.previous.cases == 1 ? "" : "s"), \(d.previous.arrests) arrested).")
                    continue
                }
                var line = "\(Self.englishName(d.pinyin, d.name)): \(d.current.cases) case\(d.current.cases == 1 ? "" : "s"), \(d.current.arrests) arrested"
                if d.current.arrestsExtended > 0 { line += " (\(d.current.arrestsExtended) extended)" }
                line += Self.resultClauseEN(d.current)
                line += "; arrests \(describe(d.change.arrests))."
                lines.append(line)
            }
        }
        return lines
    }

    /// "2025年无专案记录。", then the year before's totals for reference when it has any.
    private func unrecordedProse() -> [String] {
        let y = summary.year
        switch language {
        case .zh:
            let place = summary.area?.fullName ?? ""
            return ["\(y)年\(place)无专案记录。"] + (summary.previous.map { ["供参考：" + totalsSentence(year: y - 1, $0)] } ?? [])
        case .en:
            let place = summary.area.map { " for " + Self.englishName($0.pinyin, $0.name) } ?? ""
            return ["Nothing is recorded\(place) in \(y)."]
                + (summary.previous.map { ["For reference, in " + totalsSentence(year: y - 1, $0)] } ?? [])
        }
    }

    /// "2023年，全省共立专案3起，抓获犯罪嫌疑人952名…。"; in English the same after "In"/"in":
    /// "2023, the province opened 3 special cases and arrested 952 suspects….".
    private func totalsSentence(year y: Int, _ t: Figures) -> String {
        switch language {
        case .zh:
            var sentence = "\(y)年，\(areaName)共立专案\(t.cases)起，抓获犯罪嫌疑人\(t.arrests)名"
            if t.arrestsExtended > 0 { sentence += "（其中扩线深挖抓获\(t.arrestsExtended)名）" }
            return sentence + Self.resultClauseZH(t) + "。"
        case .en:
            var sentence = "\(y), \(areaName) opened \(t.cases) special case\(t.cases == 1 ? "" : "s") and arrested \(t.arrests) suspect\(t.arrests == 1 ? "" : "s")"
            if t.arrestsExtended > 0 { sentence += " (\(t.arrestsExtended) of them in the extended investigation)" }
            return sentence + Self.resultClauseEN(t) + "."
        }
    }

    static func resultClauseZH(_ f: Figures) -> String {
        switch (f.gangs > 0, f.links > 0) {
        case (true, true): return "，打掉犯罪团伙\(f.gangs)个、犯罪环节\(f.links)个"
        case (true, false): return "，打掉犯罪团伙\(f.gangs)个"
        case (false, true): return "，打掉犯罪环节\(f.links)个"
        case (false, false): return ""
        }
    }

    static func resultClauseEN(_ f: Figures) -> String {
        let gangs = "\(f.gangs) criminal gang\(f.gangs == 1 ? "" : "s")"
        let links = "\(f.links) link\(f.links == 1 ? "" : "s") of the criminal chain"
        switch (f.gangs > 0, f.links > 0) {
        case (true, true): return ", and dismantled \(gangs) and \(links)"
        case (true, false): return ", and dismantled \(gangs)"
        case (false, true): return ", and dismantled \(links)"
        case (false, false): return ""
        }
    }

    public var title: String {
        switch language {
        case .zh: return "\(summary.year)年\(summary.area?.fullName ?? "全省")专案工作统计"
        case .en:
            let place = summary.area.map { Self.englishName($0.pinyin, $0.name) } ?? Self.provinceEnglishName
            return "\(place) special cases, \(summary.year)"
        }
    }

    // MARK: - Tables

    /// The breakdown by division, with the year before and the change of arrests.
    public func divisionTable() -> Table {
        let label = summary.area == nil ? "city" : "county"
        let rows = summary.byDivision.map { d -> [Cell] in
            [.text(language == .zh ? d.name : Self.englishName(d.pinyin, d.name)), .number(d.current.cases),
                .number(d.current.arrests), .number(d.current.arrestsInitial), .number(d.current.arrestsExtended),
                .number(d.current.gangs), .number(d.current.links), .number(d.previous.arrests),
                .text(cell(d.change.arrests))]
        }
        let t = summary.totals
        let total: [Cell] = [.text(language == .zh ? "合计" : "total"), .number(t.cases), .number(t.arrests),
            .number(t.arrestsInitial), .number(t.arrestsExtended), .number(t.gangs), .number(t.links),
            .number(summary.previous?.arrests ?? 0), .text(cell(summary.change.arrests))]
        let columns = language == .zh
            ? [summary.area == nil ? "城市" : "区县", "专案", "抓获", "首次抓获", "扩线深挖", "团伙", "环节",
                "\(summary.year - 1)年抓获", "抓获同比"]
            : [label, "cases", "arrests", "initial", "extended", "gangs", "links", "arrests \(summary.year - 1)", "arrests YoY"]
        return Table(columns: columns, rows: rows, total: total)
    }

    /// The year before's figures by division, shown for reference when the year has nothing recorded.
    public func referenceTable() -> Table {
        let rows = summary.byDivision.map { d -> [Cell] in
            [.text(language == .zh ? d.name : Self.englishName(d.pinyin, d.name)), .number(d.previous.cases),
                .number(d.previous.arrests), .number(d.previous.arrestsInitial), .number(d.previous.arrestsExtended),
                .number(d.previous.gangs), .number(d.previous.links)]
        }
        let p = summary.previous ?? Figures()
        let total: [Cell] = [.text(language == .zh ? "合计" : "total"), .number(p.cases), .number(p.arrests),
            .number(p.arrestsInitial), .number(p.arrestsExtended), .number(p.gangs), .number(p.links)]
        let columns = language == .zh
            ? [summary.area == nil ? "城市" : "区县", "专案", "抓获", "首次抓获", "扩线深挖", "团伙", "环节"]
            : [summary.area == nil ? "city" : "county", "cases", "arrests", "initial", "extended", "gangs", "links"]
        return Table(columns: columns, rows: rows, total: total)
    }

    /// The caption of `referenceTable()`.
    var referenceCaption: String {
        let year = summary.year - 1
        switch language {
        case .zh: return "\(year)年各地情况（供参考）"
        case .en: return "By \(summary.area == nil ? "city" : "county"), \(year) (for reference)"
        }
    }

    /// The top cases, named by the reference `case show` takes (the internal id is left to JSON).
    public func topCaseTable() -> Table { Self.topCaseTable(summary.topCases, language: language) }

    static func topCaseTable(_ cases: [TopCase], language: Language) -> Table {
        Table(
            columns: language == .zh
                ? ["专案", "名称", "抓获", "扩线深挖", "团伙", "环节"]
                : ["case", "name", "arrests", "extended", "gangs", "links"],
            rows: cases.map {
                [.text($0.reference), Cell($0.name),
                    .number($0.figures.arrests), .number($0.figures.arrestsExtended), .number($0.figures.gangs),
                    .number($0.figures.links)]
            })
    }

    /// Bars of arrests by division, this year beside last year.
    public func chartBars() -> [BarChart.Group] {
        summary.byDivision.map {
            BarChart.Group(
                label: language == .zh ? $0.name : Self.englishName($0.pinyin, $0.name),
                bars: [("\(summary.year)", $0.current.arrests), ("\(summary.year - 1)", $0.previous.arrests)])
        }
    }

    // MARK: - Formats

    public func text(chartWidth: Int?) -> String {
        guard summary.recorded else {
            // Said plainly, without a title over an empty briefing.
            var out = prose().joined(separator: "\n") + "\n"
            if summary.previous != nil { out += "\n" + referenceCaption + "\n" + Renderer.render(referenceTable(), as: .table) }
            return out
        }
        var out = title + "\n\n" + prose().joined(separator: "\n") + "\n\n"
        out += Renderer.render(divisionTable(), as: .table)
        if !summary.topCases.isEmpty {
            out += "\n" + (language == .zh ? "抓获人数居前的专案" : "Top cases by arrests") + "\n"
            out += Renderer.render(topCaseTable(), as: .table)
        }
        if let chartWidth, !summary.byDivision.isEmpty {
            out += "\n" + (language == .zh ? "抓获犯罪嫌疑人（名）" : "Suspects arrested") + "\n"
            out += BarChart.render(chartBars(), width: chartWidth)
        }
        return out
    }

    public func markdown() -> String {
        var out = "## \(title)\n\n" + prose().joined(separator: "\n\n") + "\n"
        guard summary.recorded else {
            if summary.previous != nil { out += "\n### " + referenceCaption + "\n\n" + Renderer.render(referenceTable(), as: .markdown) }
            return out
        }
        out += "\n"
        out += Renderer.render(divisionTable(), as: .markdown)
        if !summary.topCases.isEmpty {
            out += "\n### " + (language == .zh ? "抓获人数居前的专案" : "Top cases by arrests") + "\n\n"
            out += Renderer.render(topCaseTable(), as: .markdown)
        }
        return out
    }

    public func json() -> String {
        let figures = Self.figuresJSON
        func changes(_ c: FigureChanges) -> String { Self.changesJSON(summary.recorded ? c : nil) }
        let previousIsNull = summary.previous == nil
        let byCity = summary.byDivision.map { d in
            "{\"city\":\(JSONText.string(d.name)),\"full_name\":\(JSONText.string(d.fullName)),"
                + "\"totals\":\(figures(d.current)),\"previous\":\(previousIsNull ? "null" : figures(d.previous)),"
                + "\"change\":\(changes(d.change))}"
        }
        let top = summary.topCases.map(Self.topCaseJSON)
        return """
            {
              "year": \(summary.year),
              "has_data": \(summary.recorded),
              "totals": \(figures(summary.totals)),
              "previous": \(summary.previous.map(figures) ?? "null"),
              "change": \(changes(summary.change)),
              "by_city": [\(byCity.isEmpty ? "" : "\n    " + byCity.joined(separator: ",\n    ") + "\n  ")],
              "top_cases": [\(top.isEmpty ? "" : "\n    " + top.joined(separator: ",\n    ") + "\n  ")]
            }

            """
    }

    // MARK: - JSON pieces

    /// `{"cases":…,"arrests":…,"arrests_initial":…,"arrests_extended":…,"gangs":…,"links":…}`.
    static func figuresJSON(_ f: Figures) -> String {
        "{\"cases\":\(f.cases),\"arrests\":\(f.arrests),\"arrests_initial\":\(f.arrestsInitial),"
            + "\"arrests_extended\":\(f.arrestsExtended),\"gangs\":\(f.gangs),\"links\":\(f.links)}"
    }

    /// The same keys holding ratios; every one null when there is no change to report (nil), since a
    /// year with nothing recorded is not a fall of 100 %.
    static func changesJSON(_ c: FigureChanges?) -> String {
        func ratio(_ c: Change?) -> String { c?.ratio.map { String($0) } ?? "null" }
        return "{\"cases\":\(ratio(c?.cases)),\"arrests\":\(ratio(c?.arrests)),\"arrests_initial\":\(ratio(c?.arrestsInitial)),"
            + "\"arrests_extended\":\(ratio(c?.arrestsExtended)),\"gangs\":\(ratio(c?.gangs)),\"links\":\(ratio(c?.links))}"
    }

    static func topCaseJSON(_ c: TopCase) -> String {
        "{\"id\":\(c.id),\"case\":\(JSONText.string(c.reference)),\"city\":\(JSONText.string(c.city)),\"code\":\(JSONText.string(c.code)),\"year\":\(c.year),"
            + "\"name\":\(c.name.map(JSONText.string) ?? "null"),\"cases\":\(c.figures.cases),\"arrests\":\(c.figures.arrests),"
            + "\"arrests_initial\":\(c.figures.arrestsInitial),\"arrests_extended\":\(c.figures.arrestsExtended),"
            + "\"gangs\":\(c.figures.gangs),\"links\":\(c.figures.links)}"
    }
}
