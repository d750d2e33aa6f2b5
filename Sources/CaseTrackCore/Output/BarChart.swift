/// Horizontal bar charts in plain characters, labels aligned by display width (CJK takes two
/// columns), fitted to a given width.
public enum BarChart {
    /// A labelled group of bars (a city: this year and last year).
    public struct Group: Sendable {
        public var label: String
        public var bars: [(name: String, value: Int)]

        public init(label: String, bars: [(name: String, value: Int)]) {
            self.label = label
            self.bars = bars
        }
    }

    /// One character per series, so that the series stay apart without colour.
    static let marks: [Character] = ["#", "=", "+", "*"]

    public static func render(_ groups: [Group], width: Int) -> String {
        let labelWidth = groups.map { DisplayWidth.of($0.label) }.max() ?? 0
        let nameWidth = groups.flatMap { $0.bars.map { DisplayWidth.of($0.name) } }.max() ?? 0
        let maxValue = groups.flatMap { $0.bars.map(\.value) }.max() ?? 0
        let valueWidth = String(maxValue).count
        let room = max(10, width - labelWidth - nameWidth - valueWidth - 4)
        var lines: [String] = []
        for group in groups {
            for (index, bar) in group.bars.enumerated() {
                let label = index == 0 ? group.label : ""
                let length = maxValue == 0 ? 0 : Int((Double(bar.value) / Double(maxValue) * Double(room)).rounded())
                let mark = marks[index % marks.count]
                var line = DisplayWidth.pad(label, to: labelWidth)
                if nameWidth > 0 { line += " " + DisplayWidth.pad(bar.name, to: nameWidth) }
                line += " " + String(repeating: mark, count: bar.value > 0 ? max(1, length) : 0)
                line += " " + String(bar.value)
                lines.append(line)
            }
        }
        return lines.joined(separator: "\n") + (lines.isEmpty ? "" : "\n")
    }
}
