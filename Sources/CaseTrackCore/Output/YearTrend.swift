/// A figure's trend over the years in plain characters: a caption, then one bar per year with its
/// figure, years with nothing drawn as an empty bar and 0 rather than left out.
public enum YearTrend {
    /// One figure over the years: its caption and a value for each year.
    public struct Series: Sendable {
        public var caption: String
        public var values: [Int]

        public init(caption: String, values: [Int]) {
            self.caption = caption
            self.values = values
        }
    }

    /// Every year from the first to the last of `rows`, with zero figures for the years missing
    /// between them (a report lists only years with something recorded).
    public static func filled(_ rows: [(year: Int, figures: Figures)]) -> [(year: Int, figures: Figures)] {
        guard let first = rows.map(\.year).min(), let last = rows.map(\.year).max() else { return [] }
        let known = Dictionary(rows.map { ($0.year, $0.figures) }, uniquingKeysWith: +)
        return (first...last).map { ($0, known[$0] ?? Figures()) }
    }

    /// The captions of a summary's trend, in `language`.
    public static func captions(_ language: Language) -> [String] {
        language == .zh
            ? ["抓获犯罪嫌疑人（名）", "打掉犯罪团伙（个）", "打掉犯罪环节（个）"]
            : ["Suspects arrested", "Criminal gangs dismantled", "Chain links destroyed"]
    }

    /// The arrests, gangs and links of each year, under three captions in that order.
    public static func series(_ figures: [Figures], captions: [String]) -> [Series] {
        [\Figures.arrests, \Figures.gangs, \Figures.links].enumerated().map { index, figure in
            Series(caption: captions[index], values: figures.map { $0[keyPath: figure] })
        }
    }

    /// Each series as a block of bars fitted to `width`, blocks apart by an empty line. Each
    /// block has its own scale: arrests run to hundreds where gangs run to tens.
    public static func render(years: [Int], series: [Series], width: Int) -> String {
        series.map { s in
            let groups = zip(years, s.values).map { BarChart.Group(label: String($0), bars: [("", $1)]) }
            return s.caption + "\n" + BarChart.render(groups, width: width)
        }.joined(separator: "\n")
    }
}
