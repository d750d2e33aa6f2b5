import Foundation

/// The figure on a result row: how many suspects, gangs or chain links. Always 1…1,000,000, so
/// that no total over a province can overflow.
public enum ResultCount {
    public static let range = 1...1_000_000

    /// Reads a count as users type it (full-width digits and thousands separators accepted).
    public static func parse(_ text: String, field: String = "count") throws -> Int {
        // Plain ASCII digits (nearly every count) are what the normalisation below leaves them.
        if (1...7).contains(text.utf8.count), text.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
            let value = Int(text), range.contains(value)
        {
            return value
        }
        let normalised = text.precomposedStringWithCompatibilityMapping
            .trimmingCharacters(in: .whitespaces)
            .replacingOccurrences(of: ",", with: "")
        guard !normalised.isEmpty, normalised.count <= 7,
            normalised.allSatisfy({ $0.isASCII && $0.isNumber }),
            let value = Int(normalised), range.contains(value)
        else { throw CaseTrackError.invalidCount(field: field, value: text) }
        return value
    }

    /// Checks a count that arrived already as a number (JSON).
    public static func validate(_ value: Int, field: String = "count") throws -> Int {
        guard range.contains(value) else { throw CaseTrackError.invalidCount(field: field, value: String(value)) }
        return value
    }
}
