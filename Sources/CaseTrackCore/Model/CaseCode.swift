import Foundation

/// A case's code as written in bulletins — "1.13", "6406", "9·9" — in its canonical ASCII form.
///
/// `1.13`, `1·13`, `1．13` and `１.１３` are the same code: compatibility forms are folded
/// (NFKC), every kind of middle dot becomes `.`, and surrounding quotes and spaces go.
public enum CaseCode {
    public static let maxLength = 64

    /// Dots that bulletins use between the month and day of an operation's name.
    static let dots: Set<Character> = ["·", "・", "•", "‧", "∙", "⋅", "。", "･", "﹒"]
    static let quotes: Set<Character> = ["\"", "'", "“", "”", "‘", "’", "「", "」", "『", "』", "《", "》"]

    public static func normalise(_ text: String) throws -> String {
        // Plain ASCII codes such as 1.13 are by far the most common: nothing to fold.
        if !text.isEmpty, text.utf8.count <= maxLength,
            text.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != 0x22 && $0 != 0x27 && $0 != 0x2F && $0 != 0x40 })
        {
            return text
        }
        var folded = ""
        for character in text.precomposedStringWithCompatibilityMapping {
            folded.append(dots.contains(character) ? "." : character)
        }
        var trimmed = Substring(folded.trimmingCharacters(in: .whitespacesAndNewlines))
        while let first = trimmed.first, quotes.contains(first) { trimmed = trimmed.dropFirst() }
        while let last = trimmed.last, quotes.contains(last) { trimmed = trimmed.dropLast() }
        let code = trimmed.trimmingCharacters(in: .whitespaces)
        guard !code.isEmpty else { throw CaseTrackError.invalidCode("the code is empty") }
        guard code.count <= maxLength else {
            throw CaseTrackError.invalidCode("the code is longer than \(maxLength) characters")
        }
        guard !code.unicodeScalars.contains(where: \.isControl) else {
            throw CaseTrackError.invalidCode("'\(code.preview)' contains a control character")
        }
        guard !code.contains("/"), !code.contains("@") else {
            throw CaseTrackError.invalidCode("'\(code.preview)' contains / or @, which case references use")
        }
        return code
    }
}

/// Checks free text fields (names, notes, sources): no NUL or other control characters except
/// newline and tab, and at most a given length.
public enum FreeText {
    public static func validate(_ text: String?, field: String, maxLength: Int) throws -> String? {
        guard let text else { return nil }
        let edgesTrimmed = text.first.map { !$0.isWhitespace } == true && text.last.map { !$0.isWhitespace } == true
        // Unicode's white space, as every input path trims it (Foundation's set on Linux also
        // holds the zero-width space, which would empty a note that JSON keeps).
        let trimmed = edgesTrimmed ? text : text.trimmingWhitespace
        if trimmed.isEmpty { return nil }
        if trimmed.unicodeScalars.contains(where: {
            $0.isControl && $0 != "\n" && $0 != "\t"
        }) {
            throw CaseTrackError.invalidText(field: field, reason: "must not contain control characters such as NUL")
        }
        guard trimmed.utf8.count <= maxLength || trimmed.count <= maxLength else {
            throw CaseTrackError.invalidText(
                field: field, reason: "is \(trimmed.count) characters long; the limit is \(maxLength)")
        }
        return trimmed
    }
}

extension Unicode.Scalar {
    /// C0 and C1 control characters (NUL, escape, DEL…), which no stored text may hold.
    var isControl: Bool { value < 0x20 || (0x7F...0x9F).contains(value) }
}
