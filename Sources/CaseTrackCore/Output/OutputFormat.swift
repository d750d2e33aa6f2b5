/// The formats every command that prints records offers.
public enum OutputFormat: String, CaseIterable, Sendable {
    /// Columns aligned by display width, for people.
    case table
    case csv
    case tsv
    /// A JSON array of objects with stable, documented field names.
    case json
    /// One JSON object per line.
    case jsonl
    case markdown
}

/// One value in printed output.
public enum Cell: Sendable, Hashable {
    case text(String)
    case number(Int)
    case null

    public init(_ text: String?) { self = text.map(Cell.text) ?? .null }
    public init(_ number: Int?) { self = number.map(Cell.number) ?? .null }
    public init(_ number: Int64?) { self = number.map { Cell.number(Int($0)) } ?? .null }

    /// The value as plain text (empty for null).
    public var text: String {
        switch self {
        case let .text(text): return text
        case let .number(number): return String(number)
        case .null: return ""
        }
    }
}

/// Rows to print: named columns (the JSON field names), cells, and an optional total row that
/// only the formats for people show.
public struct Table: Sendable {
    public var columns: [String]
    public var rows: [[Cell]]
    public var total: [Cell]?

    public init(columns: [String], rows: [[Cell]], total: [Cell]? = nil) {
        self.columns = columns
        self.rows = rows
        self.total = total
    }
}
