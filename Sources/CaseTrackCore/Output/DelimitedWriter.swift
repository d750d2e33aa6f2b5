/// CSV (RFC 4180) or TSV text, the one writer of both: a field holding a quote, the delimiter
/// or a line break is quoted, with each quote doubled; every row ends in a line break.
///
/// Fields are looked at as UTF-8 bytes, so a quote or comma is quoted even when a combining mark
/// follows it (CSV.swift's writer compares characters and leaves such a field bare, which no
/// reader can split right). Reading stays with CSV.swift, which reads this back field for field.
struct DelimitedWriter {
    private let delimiter: UInt8
    private var bytes: [UInt8] = []

    private static let quote = UInt8(ascii: "\""), lineFeed: UInt8 = 0x0A, carriageReturn: UInt8 = 0x0D

    /// - Parameter delimiter: an ASCII character (`,` or a tab).
    init(delimiter: Character = ",") {
        self.delimiter = delimiter.asciiValue ?? UInt8(ascii: ",")
    }

    /// The text written so far.
    var text: String { String(decoding: bytes, as: UTF8.self) }

    mutating func appendRow(_ cells: [Cell]) {
        for (index, cell) in cells.enumerated() {
            if index > 0 { bytes.append(delimiter) }
            switch cell {
            case let .text(text): appendField(text)
            case let .number(number): bytes.append(contentsOf: String(number).utf8)
            case .null: break
            }
        }
        bytes.append(Self.lineFeed)
    }

    mutating func appendRow(_ fields: [String]) {
        for (index, field) in fields.enumerated() {
            if index > 0 { bytes.append(delimiter) }
            appendField(field)
        }
        bytes.append(Self.lineFeed)
    }

    private mutating func appendField(_ text: String) {
        var text = text
        text.withUTF8 { utf8 in
            // Every byte that needs care is below the comma; most bytes of Chinese text are not.
            let quoted = utf8.contains { byte in
                byte <= UInt8(ascii: ",") && (byte == Self.quote || byte == delimiter || byte == Self.lineFeed || byte == Self.carriageReturn)
            }
            guard quoted else { return bytes.append(contentsOf: utf8) }
            bytes.append(Self.quote)
            for byte in utf8 {
                bytes.append(byte)
                if byte == Self.quote { bytes.append(Self.quote) }
            }
            bytes.append(Self.quote)
        }
    }
}
