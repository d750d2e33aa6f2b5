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
        case .jsonl: return jsonLines(table)
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
        var writer = DelimitedWriter(delimiter: delimiter)
        writer.appendRow(table.columns)
        for row in table.rows { writer.appendRow(row) }
        return writer.text
    }

    static func json(_ table: Table) -> String {
        if table.rows.isEmpty { return "[]\n" }
        var writer = JSONObjectWriter(columns: table.columns)
        for (index, row) in table.rows.enumerated() {
            writer.append(index == 0 ? "[\n  " : ",\n  ")
            writer.appendObject(row)
        }
        writer.append("\n]\n")
        return writer.text
    }

    static func jsonLines(_ table: Table) -> String {
        var writer = JSONObjectWriter(columns: table.columns)
        for row in table.rows {
            writer.appendObject(row)
            writer.append("\n")
        }
        return writer.text
    }

    /// One JSON object with the fields in column order (JSONEncoder would reorder them).
    static func jsonObject(_ columns: [String], _ cells: [Cell]) -> String {
        var writer = JSONObjectWriter(columns: columns)
        writer.appendObject(cells)
        return writer.text
    }
}

/// JSON objects with their fields in column order, written into one buffer: the one writer of
/// a table row as JSON. A listing writes hundreds of thousands of fields, and text with nothing
/// to escape (almost all of it) is copied as it is; the rest is escaped by `JSONText.string`.
struct JSONObjectWriter {
    private let keys: [[UInt8]]
    private var bytes: [UInt8] = []

    init(columns: [String]) {
        keys = columns.map { Array((JSONText.string($0) + ":").utf8) }
    }

    var text: String { String(decoding: bytes, as: UTF8.self) }

    mutating func append(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    /// `{"column":value,…}`, pairing columns and cells as `zip` does.
    mutating func appendObject(_ cells: [Cell]) {
        bytes.append(UInt8(ascii: "{"))
        for (index, (key, cell)) in zip(keys, cells).enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(contentsOf: key)
            if case let .text(text) = cell { appendString(text) } else { append(JSONText.value(cell)) }
        }
        bytes.append(UInt8(ascii: "}"))
    }

    private mutating func appendString(_ text: String) {
        let copied = text.utf8.withContiguousStorageIfAvailable { utf8 -> Bool in
            guard !utf8.contains(where: JSONText.needsEscaping) else { return false }
            bytes.append(UInt8(ascii: "\""))
            bytes.append(contentsOf: utf8)
            bytes.append(UInt8(ascii: "\""))
            return true
        }
        if copied != true { append(JSONText.string(text)) }
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
        if !text.utf8.contains(where: needsEscaping) {
            return "\"" + text + "\""
        }
        return (try? encoder.encode(text)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
    }

    /// A control character, quote or backslash, which JSON text escapes.
    static func needsEscaping(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    static func value(_ cell: Cell) -> String {
        switch cell {
        case let .text(text): return string(text)
        case let .number(number): return String(number)
        case .null: return "null"
        }
    }
}
