import Foundation

/// How a user names a case on the command line.
///
/// `襄阳/1.13`, `襄阳"1.13"`, `襄阳“1.13”` and `襄阳「1.13」`, each optionally followed by
/// `@2023` when the city reused the code in several years, or the numeric case id.
public enum CaseReference: Hashable, Sendable, CustomStringConvertible {
    case id(Int64)
    case key(city: String, code: String, year: Int?)

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
            let close = Self.openingQuotes[body[open]],
            body.last == close || (body.last == "\"" && body[open] == "“") || (body.last == "”" && body[open] == "\""),
            body.index(after: open) < body.index(before: body.endIndex)
        {
            city = body[..<open]
            code = body[body.index(after: open)..<body.index(before: body.endIndex)]
        } else {
            throw invalid
        }
        let cityName = city.trimmingCharacters(in: .whitespaces)
        guard !cityName.isEmpty, let normalised = try? CaseCode.normalise(String(code)) else { throw invalid }
        self = .key(city: cityName, code: normalised, year: year)
    }

    public var description: String {
        switch self {
        case let .id(id): return "#\(id)"
        case let .key(city, code, year): return CaseLabel.format(city: city, code: code, year: year)
        }
    }
}

/// The way casetrack prints a case's name: 襄阳"1.13", with @YEAR when asked for.
public enum CaseLabel {
    public static func format(city: String, code: String, year: Int?) -> String {
        "\(city)\"\(code)\"" + (year.map { "@\($0)" } ?? "")
    }
}
