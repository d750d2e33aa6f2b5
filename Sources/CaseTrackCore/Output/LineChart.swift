import Foundation

/// A figure over the years as an inline SVG line: one point per year (years with nothing on the
/// zero line), the figure over each point, the zero line, and a line at the top of the scale labelled
/// with its value. It scales with its viewBox.
public enum LineChart {
    static let width = 320.0
    static let height = 180.0
    static let left = 40.0
    static let right = 16.0
    static let top = 22.0
    static let bottom = 148.0

    /// - Parameters:
    ///   - cssClass: the figure (`arrests`, `gangs`, `links`), which also gives the colour.
    ///   - maxValue: the top of the scale, for charts that must share one; else the largest value.
    public static func svg(years: [Int], values: [Int], label: String, cssClass: String, maxValue: Int? = nil) -> String {
        let top = max(maxValue ?? 0, values.max() ?? 0)
        let scaleTop = Double(max(top, 1))
        let count = years.count
        func x(_ index: Int) -> Double {
            count == 1 ? (left + (width - right)) / 2 : left + Double(index) * (width - right - left) / Double(count - 1)
        }
        func y(_ value: Int) -> Double { bottom - Double(value) / scaleTop * (bottom - Self.top) }
        let f = SummaryRenderer.format
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"line-chart\" data-figure=\"\(cssClass)\" "
            + "viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(SummaryRenderer.escape(label))\">\n"
        // The zero line, and the top of the scale labelled on the left (points carry their own figures).
        svg += "<line class=\"axis\" x1=\"\(f(left))\" y1=\"\(f(bottom))\" x2=\"\(f(width - right + 6))\" y2=\"\(f(bottom))\"/>\n"
        if top > 0 {
            svg += "<line class=\"grid\" x1=\"\(f(left))\" y1=\"\(f(y(top)))\" x2=\"\(f(width - right + 6))\" y2=\"\(f(y(top)))\"/>"
                + "<text x=\"\(f(left - 6))\" y=\"\(f(y(top) + 4))\" text-anchor=\"end\">\(top)</text>\n"
        }
        let points = values.indices.map { "\(f(x($0))),\(f(y(values[$0])))" }.joined(separator: " ")
        svg += "<polyline class=\"line \(cssClass)\" points=\"\(points)\"/>\n"
        // Years under the axis: every one while they fit, else every few and always the last.
        let step = max(1, Int((Double(count) / 7).rounded(.up)))
        for (index, year) in years.enumerated() {
            let value = values[index]
            svg += "<circle class=\"\(cssClass)\" cx=\"\(f(x(index)))\" cy=\"\(f(y(value)))\" r=\"3.5\"><title>\(year): \(value)</title></circle>"
            if count <= 10 || value == top || index == count - 1 {
                svg += "<text class=\"value\" x=\"\(f(x(index)))\" y=\"\(f(y(value) - 8))\" text-anchor=\"middle\">\(value)</text>"
            }
            if index == count - 1 || (index % step == 0 && count - 1 - index >= step) {
                svg += "<text class=\"year\" x=\"\(f(x(index)))\" y=\"\(f(bottom + 20))\" text-anchor=\"middle\">\(year)</text>"
            }
            svg += "\n"
        }
        return svg + "</svg>\n"
    }
}
