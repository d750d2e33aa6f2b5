import Foundation

extension PeriodSummaryRenderer {
    /// A single self-contained page like the yearly one: the prose, the tables, and a line chart of
    /// arrests, gangs and links per year (inline SVG). `cityTrends` adds a small line chart of arrests
    /// per year for each city (or county), all on one scale so that they compare at a glance.
    public func html(cityTrends: Bool = false) -> String {
        let escape = SummaryRenderer.escape
        var body = "<h1>\(escape(title))</h1>\n"
        body += paragraphs().filter { !$0.isEmpty }.map { "<p>\(escape(joined($0)))</p>" }.joined(separator: "\n") + "\n"
        if summary.recorded {
            body += "<h2>\(escape(yearCaption))</h2>\n" + SummaryRenderer.table(yearTable())
            body += "<h2>\(escape(trendCaption))</h2>\n" + trendCharts()
            body += "<h2>\(escape(divisionCaption))</h2>\n" + SummaryRenderer.table(divisionTable())
            if cityTrends, !summary.byDivision.isEmpty { body += cityCharts() }
            if !summary.topCases.isEmpty {
                body += "<h2>\(escape(topCaseCaption))</h2>\n" + SummaryRenderer.table(topCaseTable())
            }
        }
        return SummaryRenderer.page(title: escape(title), language: language, body: body)
    }

    /// One chart per figure, each on its own scale (arrests run to hundreds, gangs to tens).
    func trendCharts() -> String {
        let years = Array(summary.years)
        let charts = zip(["arrests", "gangs", "links"], trendSeries()).map { figure, series in
            "<figure><figcaption>\(SummaryRenderer.escape(series.caption))</figcaption>\n"
                + LineChart.svg(years: years, values: series.values, label: series.caption, cssClass: figure)
                + "</figure>\n"
        }
        return "<div class=\"charts\">\n" + charts.joined() + "</div>\n"
    }

    /// Arrests per year for each division, in the table's order, on the scale of the largest.
    func cityCharts() -> String {
        let years = Array(summary.years)
        let top = summary.byDivision.flatMap { $0.byYear.map(\.arrests) }.max() ?? 0
        let caption = language == .zh
            ? "各地逐年抓获犯罪嫌疑人（名，同一刻度）"
            : "Suspects arrested by year, each \(summary.area == nil ? "city" : "county") (one scale)"
        let charts = summary.byDivision.map { d in
            let name = language == .zh ? d.fullName : SummaryRenderer.englishName(d.pinyin, d.name)
            return "<figure class=\"city\" data-city=\"\(SummaryRenderer.escape(d.name))\"><figcaption>\(SummaryRenderer.escape(name))</figcaption>\n"
                + LineChart.svg(years: years, values: d.byYear.map(\.arrests), label: name, cssClass: "arrests", maxValue: top)
                + "</figure>\n"
        }
        return "<h2>\(SummaryRenderer.escape(caption))</h2>\n<div class=\"charts small\">\n" + charts.joined() + "</div>\n"
    }
}
