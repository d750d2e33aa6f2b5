/// A table written row by row as its rows arrive, for output too long to hold (`log` after a
/// million-case import): every format of `Renderer`, with fixed column widths for people, so
/// that the first page shows at once and memory stays flat.
public struct StreamingTable {
    public let columns: [String]
    public let format: OutputFormat
    /// For `.table`: each column's width; longer text is cut with "…".
    let widths: [Int]
    let numeric: Set<Int>
    private var rowsWritten = 0

    public init(columns: [String], format: OutputFormat, widths: [Int], numeric: Set<Int> = []) {
        self.columns = columns
        self.format = format
        self.widths = widths
        self.numeric = numeric
    }

    /// The text before the first row.
    public func header() -> String {
        switch format {
        case .table:
            return line(columns) + "\n" + widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n"
        case .markdown:
            let table = Renderer.markdown(Table(columns: columns, rows: []))
            return table
        case .csv: return Renderer.delimited(Table(columns: columns, rows: []), delimiter: ",")
        case .tsv: return Renderer.delimited(Table(columns: columns, rows: []), delimiter: "\t")
        case .json: return "["
        case .jsonl: return ""
        }
    }

    /// The text of more rows.
    public mutating func rows(_ rows: [[Cell]]) -> String {
        defer { rowsWritten += rows.count }
        switch format {
        case .table: return rows.map { line($0.map(\.text)) + "\n" }.joined()
        case .markdown:
            return rows.map { row in "| " + row.map { Renderer.markdownCell($0.text) }.joined(separator: " | ") + " |\n" }.joined()
        case .csv: return String(Renderer.delimited(Table(columns: columns, rows: rows), delimiter: ",").drop { $0 != "\n" }.dropFirst())
        case .tsv: return String(Renderer.delimited(Table(columns: columns, rows: rows), delimiter: "\t").drop { $0 != "\n" }.dropFirst())
        case .json:
            return rows.enumerated().map { index, row in
                (rowsWritten + index == 0 ? "\n  " : ",\n  ") + Renderer.jsonObject(columns, row)
            }.joined()
        case .jsonl: return rows.map { Renderer.jsonObject(columns, $0) + "\n" }.joined()
        }
    }

    /// The text after the last row.
    public func footer() -> String {
        format == .json ? (rowsWritten == 0 ? "]\n" : "\n]\n") : ""
    }

    private func line(_ cells: [String]) -> String {
        cells.indices.map { index in
            var text = Renderer.oneLine(cells[index])
            if DisplayWidth.of(text) > widths[index] { text = DisplayWidth.cut(text, to: widths[index] - 1) + "…" }
            return DisplayWidth.pad(text, to: widths[index], alignRight: numeric.contains(index))
        }.joined(separator: "  ").droppingTrailingWhitespace
    }
}
