import Foundation

/// How a user names a case on the command line.
///
/// `襄阳/1.13`, `襄阳"1.13"`, `襄阳“1.13”`, `襄阳「1.13」`, `襄阳 1.13`, the name as bulletins
/// write it (`汉川"6406"专案`), and `汉川6406` (what a shell leaves of 汉川"6406" typed without outer
/// quotes), each optionally followed by `@2023` when the city reused the code in several years;
/// or the numeric case id.
public enum CaseReference: Hashable, Sendable, CustomStringConvertible {
    case id(Int64)
    case key(city: String, code: String, year: Int?)
    /// A city name run into its code (汉川6406): split where a known division's name ends.
    case runTogether(String, year: Int?)

    private static let openingQuotes: [Character: Character] = [
        "\"": "\"", "“": "”", "「": "」", "『": "』", "‘": "’", "'": "'",
    ]

    public init(parsing text: String) throws {
        let raw = text.trimmingCharacters(in: .whitespaces)
        let invalid = CaseTrackError.invalidReference(text)
        guard !raw.isEmpty, raw.count <= 200 else { throw invalid }
        let folded = raw.precomposedStringWithCompatibilityMapping
        if folded.allSatisfy({ $0.isASCII && $0.isNumber }) {
            guard folded.count <= 18, let id = Int64(folded), id > 0 else { throw invalid }
            self = .id(id)
            return
        }
        var body = Substring(raw)
        var year: Int?
        if let at = body.lastIndex(where: { $0 == "@" || $0 == "＠" }) {
            year = try? StatisticalYear.parse(String(body[body.index(after: at)...]))
            guard year != nil else { throw invalid }
            body = body[..<at]
        }
        let city: Substring
        let code: Substring
        if let slash = body.firstIndex(where: { $0 == "/" || $0 == "／" }) {
            city = body[..<slash]
            code = body[body.index(after: slash)...]
        } else if let open = body.firstIndex(where: { Self.openingQuotes[$0] != nil }),
            let close = body[body.index(after: open)...].lastIndex(where: { Self.closes(body[open], with: $0) }),
            body.index(after: open) < close, Self.isCaseWords(body[body.index(after: close)...])
        {
            city = body[..<open]
            code = body[body.index(after: open)..<close]
        } else if let space = body.firstIndex(where: { $0 == " " || $0 == "\u{3000}" }) {
            city = body[..<space]
            code = body[body.index(after: space)...]
        } else {
            let folded = String(body).precomposedStringWithCompatibilityMapping
            guard folded.contains(where: { !$0.isASCII }), folded.last.map({ $0.isASCII && !$0.isWhitespace }) == true,
                !folded.contains(where: { Self.openingQuotes[$0] != nil || Self.openingQuotes.values.contains($0) })
            else {
                throw invalid
            }
            self = .runTogether(String(body), year: year)
            return
        }
        let cityName = city.trimmingCharacters(in: .whitespaces)
        guard !cityName.isEmpty, let normalised = try? CaseCode.normalise(String(code)) else { throw invalid }
        self = .key(city: cityName, code: normalised, year: year)
    }

    /// True when `close` ends a code opened with `open` (“…” and "…" are mixed freely).
    private static func closes(_ open: Character, with close: Character) -> Bool {
        if let expected = openingQuotes[open], expected == close { return true }
        return (open == "“" && close == "\"") || (open == "\"" && close == "”")
    }

    /// What bulletins write after a case's code: nothing, or words ending in 案 (专案, 系列案,
    /// 电信诈骗案) or 专案组.
    private static func isCaseWords(_ text: Substring) -> Bool {
        let words = text.trimmingCharacters(in: .whitespaces)
        return words.isEmpty || (words.count <= 12 && (words.hasSuffix("案") || words.hasSuffix("专案组")) && !words.contains(where: \.isASCII))
    }

    public var description: String {
        switch self {
        case let .id(id): return "#\(id)"
        case let .key(city, code, year): return CaseLabel.format(city: city, code: code, year: year)
        case let .runTogether(text, year): return text + (year.map { "@\($0)" } ?? "")
        }
    }
}

/// The way casetrack prints a case's name: 襄阳"1.13", with @YEAR when asked for.
public enum CaseLabel {
    /// The form to type in a shell: 襄阳/1.13@2023 (quotes would need quoting themselves).
    public static func reference(city: String, code: String, year: Int?) -> String {
        "\(city)/\(code)" + (year.map { "@\($0)" } ?? "")
    }

    public static func format(city: String, code: String, year: Int?) -> String {
        "\(city)\"\(code)\"" + (year.map { "@\($0)" } ?? "")
    }
}
