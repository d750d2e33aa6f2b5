import Foundation

extension SummaryRenderer {
    /// A single self-contained page: no external files, scripts or fonts; the chart is inline SVG.
    /// The markup is well-formed XML, so that any XML parser can check it.
    public func html() -> String {
        let title = Self.escape(self.title)
        var body = "<h1>\(title)</h1>\n"
        body += prose().map { "<p>\(Self.escape($0))</p>" }.joined(separator: "\n") + "\n"
        if !summary.recorded {
            if summary.previous != nil { body += "<h2>\(Self.escape(referenceCaption))</h2>\n" + Self.table(referenceTable()) }
        } else {
            body += "<h2>\(language == .zh ? "各地情况" : "By city")</h2>\n" + Self.table(divisionTable())
            body += chart()
        }
        if !summary.topCases.isEmpty {
            body += "<h2>\(language == .zh ? "抓获人数居前的专案" : "Top cases by arrests")</h2>\n" + Self.table(topCaseTable())
        }
        return Self.page(title: title, language: language, body: body)
    }

    /// The page around a body: UTF-8, a viewport for phones, and the one style sheet inline.
    /// Tables scroll sideways inside their box on a narrow screen; charts scale to the width.
    static func page(title: String, language: Language, body: String) -> String {
        """
            <!DOCTYPE html>
            <html lang="\(language == .zh ? "zh-CN" : "en")">
            <head>
            <meta charset="utf-8"/>
            <meta name="viewport" content="width=device-width, initial-scale=1"/>
            <title>\(title)</title>
            <style>
            body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif; margin: 2em auto; padding: 0 1em; max-width: 60em; color: #222; line-height: 1.6; }
            h1 { font-size: 1.5em; line-height: 1.3; }
            .table-wrap { overflow-x: auto; margin: 1em 0; }
            table { border-collapse: collapse; }
            th, td { border: 1px solid #bbb; padding: 0.25em 0.6em; white-space: nowrap; }
            td.number { text-align: right; font-variant-numeric: tabular-nums; }
            tr.total td { font-weight: bold; }
            svg { max-width: 100%; height: auto; }
            svg text { font-size: 13px; fill: #222; }
            rect.current { fill: #1f5fa8; }
            rect.previous { fill: #a9c4e4; }
            .charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(16em, 1fr)); gap: 1em 2em; margin: 1em 0; }
            .charts.small { grid-template-columns: repeat(auto-fill, minmax(11em, 1fr)); gap: 0.5em 1.5em; }
            .charts figure { margin: 0; }
            figcaption { font-weight: bold; }
            svg.line-chart { width: 100%; }
            svg.line-chart text { font-size: 12px; }
            svg.line-chart text.value { font-size: 11px; }
            .axis { stroke: #888; stroke-width: 1; }
            .grid { stroke: #ddd; stroke-width: 1; }
            polyline.line { fill: none; stroke-width: 2.5; stroke-linejoin: round; }
            .arrests { stroke: #1f5fa8; fill: #1f5fa8; }
            .gangs { stroke: #b5452b; fill: #b5452b; }
            .links { stroke: #2f7d4a; fill: #2f7d4a; }
            polyline.arrests, polyline.gangs, polyline.links { fill: none; }
            </style>
            </head>
            <body>
            \(body)</body>
            </html>

            """
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    static func table(_ table: Table) -> String {
        var html = "<div class=\"table-wrap\"><table>\n<thead><tr>" + table.columns.map { "<th>\(escape($0))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
        func row(_ cells: [Cell], total: Bool) -> String {
            "<tr\(total ? " class=\"total\"" : "")>" + cells.map { cell -> String in
                if case .number = cell { return "<td class=\"number\">\(cell.text)</td>" }
                return "<td>\(escape(cell.text))</td>"
            }.joined() + "</tr>\n"
        }
        for cells in table.rows { html += row(cells, total: false) }
        if let total = table.total { html += row(total, total: true) }
        return html + "</tbody>\n</table></div>\n"
    }

    /// Arrests by division as horizontal bars, this year (dark) beside last year (light).
    func chart() -> String {
        let groups = chartBars()
        guard !groups.isEmpty else { return "" }
        let labelWidth = 90.0
        let barArea = 480.0
        let barHeight = 14.0
        let groupHeight = barHeight * 2 + 12
        let top = 30.0
        let height = top + Double(groups.count) * groupHeight + 10
        let maxValue = Double(groups.flatMap { $0.bars.map(\.value) }.max() ?? 0)
        let width = labelWidth + barArea + 70
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" "
            + "viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(Self.escape(language == .zh ? "各地抓获犯罪嫌疑人" : "Suspects arrested by city"))\">\n"
        svg += "<rect class=\"legend current\" x=\"\(Int(labelWidth))\" y=\"6\" width=\"12\" height=\"12\"/>"
            + "<text x=\"\(Int(labelWidth) + 16)\" y=\"16\">\(summary.year)</text>"
            + "<rect class=\"legend previous\" x=\"\(Int(labelWidth) + 70)\" y=\"6\" width=\"12\" height=\"12\"/>"
            + "<text x=\"\(Int(labelWidth) + 86)\" y=\"16\">\(summary.year - 1)</text>\n"
        for (index, group) in groups.enumerated() {
            let y = top + Double(index) * groupHeight
            svg += "<g class=\"city\" data-city=\"\(Self.escape(group.label))\">"
            svg += "<text x=\"\(Int(labelWidth) - 6)\" y=\"\(Self.format(y + barHeight + 4))\" text-anchor=\"end\">\(Self.escape(group.label))</text>"
            for (barIndex, bar) in group.bars.enumerated() {
                let length = maxValue == 0 ? 0 : Double(bar.value) / maxValue * barArea
                let barY = y + Double(barIndex) * barHeight
                svg += "<rect class=\"bar \(barIndex == 0 ? "current" : "previous")\" x=\"\(Int(labelWidth))\" y=\"\(Self.format(barY))\" "
                    + "width=\"\(Self.format(length))\" height=\"\(Self.format(barHeight - 2))\"><title>\(Self.escape(group.label)) \(bar.name): \(bar.value)</title></rect>"
                svg += "<text x=\"\(Self.format(labelWidth + length + 4))\" y=\"\(Self.format(barY + barHeight - 3))\">\(bar.value)</text>"
            }
            svg += "</g>\n"
        }
        return "<h2>\(language == .zh ? "抓获犯罪嫌疑人（名）" : "Suspects arrested")</h2>\n" + svg + "</svg>\n"
    }

    static func format(_ value: Double) -> String {
        String(format: "%.1f", value)
    }
}
