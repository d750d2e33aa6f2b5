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
        writer.appendRow(table.columns.map(Cell.text))
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
        "{" + zip(columns, cells).map { "\(JSONText.string($0)):\(JSONText.value($1))" }.joined(separator: ",") + "}"
    }
}

/// CSV or TSV text, byte for byte as yaslab/CSV.swift's `CSVWriter` writes it: a field is
/// quoted when it holds a quote, the delimiter or a line break, with each quote doubled.
///
/// A table none of whose fields holds a quote, comma, tab or line break is written as plain
/// lines instead, each ending in a line break (the writer itself ends its last row without one).
/// The writer looks for those as characters (grapheme clusters), so a quote or comma joined to a
/// combining mark is not one; such rare fields go through the writer itself.
struct DelimitedWriter {
    private let delimiter: UInt8
    private let delimiterText: String
    private var bytes: [UInt8] = []
    private var rows = 0
    /// No field so far holds a quote, comma, tab or line break.
    private var plain = true

    private static let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), tab: UInt8 = 0x09
    private static let lineFeed: UInt8 = 0x0A, carriageReturn: UInt8 = 0x0D

    init(delimiter: Character) {
        delimiterText = String(delimiter)
        self.delimiter = delimiterText.utf8.first ?? Self.comma
    }

    mutating func appendRow(_ cells: [Cell]) {
        if rows > 0 { bytes.append(Self.lineFeed) }
        rows += 1
        for (index, cell) in cells.enumerated() {
            if index > 0 { bytes.append(delimiter) }
            switch cell {
            case let .text(text): appendField(text)
            case let .number(number): appendBytes(of: String(number))
            case .null: break
            }
        }
    }

    /// The text written, ending in a line break.
    var text: String {
        let text = String(decoding: bytes, as: UTF8.self)
        return plain || !(text.isEmpty || text.hasSuffix("\n")) ? text + "\n" : text
    }

    private mutating func appendBytes(of text: String) {
        if text.utf8.withContiguousStorageIfAvailable({ bytes.append(contentsOf: $0) }) == nil {
            bytes.append(contentsOf: text.utf8)
        }
    }

    private mutating func appendField(_ text: String) {
        let (special, needsQuotes) = scan(text)
        guard special else { return appendBytes(of: text) }
        plain = false
        guard needsQuotes else { return appendBytes(of: text) }
        guard specialsStandAlone(text) else { return appendBytes(of: writtenByCSVWriter(text)) }
        bytes.append(Self.quote)
        func appendDoublingQuotes(_ utf8: some Sequence<UInt8>) {
            for byte in utf8 {
                bytes.append(byte)
                if byte == Self.quote { bytes.append(Self.quote) }
            }
        }
        if text.utf8.withContiguousStorageIfAvailable(appendDoublingQuotes) == nil { appendDoublingQuotes(text.utf8) }
        bytes.append(Self.quote)
    }

    /// Whether the text holds a quote, comma, tab or line break (which ends plain output), and
    /// whether one of them is a quote, the delimiter or a line break (which the writer quotes).
    private func scan(_ text: String) -> (special: Bool, needsQuotes: Bool) {
        func look(_ utf8: some Sequence<UInt8>) -> (Bool, Bool) {
            var special = false
            // Every byte that matters is below the comma; most bytes of text are not.
            for byte in utf8 where byte <= Self.comma {
                switch byte {
                case Self.quote, Self.lineFeed, Self.carriageReturn: return (true, true)
                case delimiter: return (true, true)
                case Self.comma, Self.tab: special = true
                default: break
                }
            }
            return (special, false)
        }
        return text.utf8.withContiguousStorageIfAvailable { look($0) } ?? look(text.utf8)
    }

    /// True when each quote and delimiter is a character of its own: then the writer finds
    /// every one. (Line breaks and tabs always are, or CR LF together, which it quotes too.)
    /// Only a non-ASCII neighbour can join an ASCII scalar into a larger character: a combining
    /// mark after it, a prepended mark before it.
    private func specialsStandAlone(_ text: String) -> Bool {
        var previous: Unicode.Scalar?
        var scalars = text.unicodeScalars.makeIterator()
        var current = scalars.next()
        while let scalar = current {
            let next = scalars.next()
            if scalar == "\"" || scalar.value == UInt32(delimiter),
                !Self.neverJoins(previous) || !Self.neverJoins(next),
                !Self.breaksAround(scalar, after: previous, before: next)
            {
                return false
            }
            previous = scalar
            current = next
        }
        return true
    }

    /// True for a neighbour that never joins a quote or comma into a larger character: none,
    /// ASCII, and the Chinese text around them (ideographs, CJK and full-width punctuation,
    /// curly quotes), which need no closer look.
    private static func neverJoins(_ scalar: Unicode.Scalar?) -> Bool {
        guard let value = scalar?.value else { return true }
        switch value {
        case 0..<0x80, 0x2010...0x2027, 0x3001...0x3029, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xFF01...0xFF60: return true
        default: return false
        }
    }

    /// True when characters break on both sides of `scalar` between these neighbours, which
    /// alone decide it for a scalar that is neither an emoji nor a regional indicator.
    private static func breaksAround(_ scalar: Unicode.Scalar, after previous: Unicode.Scalar?, before next: Unicode.Scalar?) -> Bool {
        var window = String.UnicodeScalarView()
        if let previous { window.append(previous) }
        window.append(scalar)
        if let next { window.append(next) }
        let position = previous == nil ? 0 : 1
        var boundaries: Set<Int> = [0]
        var offset = 0
        for character in String(window) {
            offset += character.unicodeScalars.count
            boundaries.insert(offset)
        }
        return boundaries.contains(position) && boundaries.contains(position + 1)
    }

    private func writtenByCSVWriter(_ text: String) -> String {
        let stream = OutputStream(toMemory: ())
        do {
            let writer = try CSVWriter(stream: stream, delimiter: delimiterText, newline: .lf)
            try writer.write(row: [text])
            writer.stream.close()
        } catch {
            return ""
        }
        let data = stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}

/// JSON objects written into one buffer, byte for byte as `Renderer.jsonObject` writes them:
/// a listing writes hundreds of thousands of fields, and text with nothing to escape (almost
/// all of it) is copied as it is.
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
            switch cell {
            case let .text(text): appendString(text)
            case let .number(number): append(String(number))
            case .null: append("null")
            }
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
