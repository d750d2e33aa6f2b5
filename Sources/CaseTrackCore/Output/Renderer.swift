import CSV
import Foundation

/// Turns a `Table` into text in each output format; the only place that knows the formats.
public enum Renderer {
    public static func render(_ table: Table, as format: OutputFormat) -> String {
        switch format {
        case .table: return aligned(table)
        case .markdown: return markdown(table)
        case .csv: return delimited(table, delimiter: ",")
        case .tsv: return delimited(table, delimiter: "\t")
        case .json: return json(table)
        case .jsonl: return table.rows.map { jsonObject(table.columns, $0) + "\n" }.joined()
        }
    }

    // MARK: - For people

    static func aligned(_ table: Table) -> String {
        let body = table.rows + (table.total.map { [$0] } ?? [])
        let shown = body.map { $0.map { oneLine($0.text) } }
        // The total row counts too: with no rows (an empty report) its figures still align right,
        // under their headers.
        let numeric = table.columns.indices.map { column in
            body.contains { row in if case .number = row[column] { return true } else { return false } }
        }
        let widths = table.columns.indices.map { column in
            ([table.columns[column]] + shown.map { $0[column] }).map(DisplayWidth.of).max() ?? 0
        }
        func line(_ cells: [String]) -> String {
            cells.indices.map { DisplayWidth.pad(cells[$0], to: widths[$0], alignRight: numeric[$0]) }
                .joined(separator: "  ").droppingTrailingWhitespace
        }
        var lines = [line(table.columns), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")]
        for (index, cells) in shown.enumerated() {
            if table.total != nil, index == shown.count - 1 {
                lines.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "))
            }
            lines.append(line(cells))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func markdown(_ table: Table) -> String {
        let body = table.rows + (table.total.map { [$0] } ?? [])
        let shown = body.map { $0.map { markdownCell($0.text) } }
        let header = table.columns.map(markdownCell)
        let widths = table.columns.indices.map { column in
            max(3, ([header[column]] + shown.map { $0[column] }).map(DisplayWidth.of).max() ?? 0)
        }
        // The total row counts too: with no rows (an empty report) its figures still align right,
        // under their headers.
        let numeric = table.columns.indices.map { column in
            body.contains { row in if case .number = row[column] { return true } else { return false } }
        }
        func line(_ cells: [String]) -> String {
            "| " + cells.indices.map { DisplayWidth.pad(cells[$0], to: widths[$0], alignRight: numeric[$0]) }
                .joined(separator: " | ") + " |"
        }
        let rule = "|" + widths.indices.map { index in
            numeric[index]
                ? " " + String(repeating: "-", count: widths[index] - 1) + ": "
                : " " + String(repeating: "-", count: widths[index]) + " "
        }.joined(separator: "|") + "|"
        return ([line(header), rule] + shown.map(line)).joined(separator: "\n") + "\n"
    }

    /// A cell on one line: each line break (CR LF or LF) and tab a space. Most cells hold
    /// none, and are returned as they are.
    static func oneLine(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x0A || $0 == 0x09 }) else { return text }
        var result = String.UnicodeScalarView()
        var scalars = text.unicodeScalars.makeIterator()
        var pending = scalars.next()
        while let scalar = pending {
            pending = scalars.next()
            switch scalar {
            case "\r" where pending == "\n":
                result.append(" ")
                pending = scalars.next()
            case "\n", "\t":
                result.append(" ")
            default:
                result.append(scalar)
            }
        }
        return String(result)
    }

    static func markdownCell(_ text: String) -> String {
        oneLine(text).replacingOccurrences(of: "|", with: "\\|")
    }

    // MARK: - For scripts

    static func delimited(_ table: Table, delimiter: Character) -> String {
        // Rows whose fields need no quoting are joined directly; the rest go through one CSV
        // writer for the whole table (commas, quotes, line breaks, the delimiter), which quotes
        // them field by field.
        func plain(_ field: String) -> Bool {
            !field.utf8.contains { $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D || $0 == UInt8(ascii: ",") || $0 == 0x09 }
        }
        let rows = [table.columns] + table.rows.map { $0.map(\.text) }
        guard !rows.allSatisfy({ $0.allSatisfy(plain) }) else {
            return rows.map { $0.joined(separator: String(delimiter)) + "\n" }.joined()
        }
        let stream = OutputStream(toMemory: ())
        do {
            let writer = try CSVWriter(stream: stream, delimiter: String(delimiter), newline: .lf)
            for row in rows { try writer.write(row: row) }
            writer.stream.close()
        } catch {
            return ""
        }
        let data = stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data ?? Data()
        let text = String(decoding: data, as: UTF8.self)
        return text.isEmpty || text.hasSuffix("\n") ? text : text + "\n"
    }

    static func json(_ table: Table) -> String {
        if table.rows.isEmpty { return "[]\n" }
        return "[\n" + table.rows.map { "  " + jsonObject(table.columns, $0) }.joined(separator: ",\n") + "\n]\n"
    }

    /// One JSON object with the fields in column order (JSONEncoder would reorder them).
    static func jsonObject(_ columns: [String], _ cells: [Cell]) -> String {
        "{" + zip(columns, cells).map { "\(JSONText.string($0)):\(JSONText.value($1))" }.joined(separator: ",") + "}"
    }
}

/// JSON text for single values, built by JSONEncoder so that escaping follows the standard.
public enum JSONText {
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }()

    public static func string(_ text: String) -> String {
        // Text with nothing to escape is quoted as it is; the encoder escapes the rest.
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            return "\"" + text + "\""
        }
        return (try? encoder.encode(text)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
    }

    static func value(_ cell: Cell) -> String {
        switch cell {
        case let .text(text): return string(text)
        case let .number(number): return String(number)
        case .null: return "null"
        }
    }
}
