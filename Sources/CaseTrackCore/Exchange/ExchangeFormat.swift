/// The formats of `import` and `export`.
public enum ExchangeFormat: String, CaseIterable, Sendable {
    /// A JSON array of case documents.
    case json
    /// One case document per line.
    case jsonl
    /// One row of totals per case: `city,code,opened,category,name,status,arrests,arrests_extended,gangs,links,source,note`.
    case csv

    /// The format a file name implies (`.json`, `.jsonl`/`.ndjson`, `.csv`).
    public init?(fileName: String) {
        let lowered = fileName.lowercased()
        if lowered.hasSuffix(".jsonl") || lowered.hasSuffix(".ndjson") {
            self = .jsonl
        } else if lowered.hasSuffix(".json") {
            self = .json
        } else if lowered.hasSuffix(".csv") {
            self = .csv
        } else {
            return nil
        }
    }

    /// Guesses the format from the first bytes of standard input: `[` is JSON, `{` JSONL, else CSV.
    static func sniff(_ prefix: [UInt8]) -> ExchangeFormat {
        let firstSignificant = prefix.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
        switch firstSignificant {
        case UInt8(ascii: "["): return .json
        case UInt8(ascii: "{"): return .jsonl
        default: return .csv
        }
    }
}

/// The text encodings `import` reads. Exports are always UTF-8.
public enum TextEncoding: String, CaseIterable, Sendable {
    case utf8 = "utf-8"
    /// GB18030, a superset of GBK and GB2312, as Excel and WPS write CSV on Chinese systems.
    case gb18030
}
