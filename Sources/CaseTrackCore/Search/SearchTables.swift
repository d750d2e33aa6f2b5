/// The columns `casetrack search` prints.
public enum SearchTables {
    /// How the matched words are marked in the `match` column.
    public enum Marks: Sendable {
        /// `[跑分]`: plain text, for files and scripts.
        case brackets
        /// Bold, for a terminal.
        case bold
        /// `**跑分**`, for markdown.
        case markdown

        var open: String {
            switch self {
            case .brackets: return "["
            case .bold: return "\u{1B}[1m"
            case .markdown: return "**"
            }
        }

        var close: String {
            switch self {
            case .brackets: return "]"
            case .bold: return "\u{1B}[0m"
            case .markdown: return "**"
            }
        }
    }

    /// Search rows: `rank, id, case, city, code, year, category, name, status, fields, match`
    /// (`fields`: where the words were found, comma-separated; `match`: that text with the words
    /// marked). People get `rank, case, year, category, fields, match`, the match last so that
    /// it can run as wide as it needs.
    public static func list(_ hits: [SearchHit], words: [String], marks: Marks, forPeople: Bool) -> Table {
        let rows = hits.enumerated().map { index, hit -> [Cell] in
            let snippet = Snippet(fields: hit.texts, words: words, open: marks.open, close: marks.close)
            let record = hit.summary.record
            if forPeople {
                return [.number(index + 1), .text(hit.reference), .number(record.year), Cell(record.category),
                    .text(snippet.fields.joined(separator: ", ")), .text(snippet.text)]
            }
            return [.number(index + 1), Cell(record.id), .text(hit.reference), .text(hit.summary.city), .text(record.code),
                .number(record.year), Cell(record.category), Cell(record.name), .text(record.status.rawValue),
                .text(snippet.fields.joined(separator: ",")), .text(snippet.text)]
        }
        let columns = forPeople
            ? ["rank", "case", "year", "category", "fields", "match"]
            : ["rank", "id", "case", "city", "code", "year", "category", "name", "status", "fields", "match"]
        return Table(columns: columns, rows: rows)
    }
}
