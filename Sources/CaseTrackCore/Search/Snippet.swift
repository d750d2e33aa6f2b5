import Foundation

/// The text that made a case match: for each wanted word, the first field holding it (a case's
/// name, code, note or source, a gang's or link's name or note), cut to a window around the
/// words, with every occurrence of every wanted word marked.
public struct Snippet: Sendable, Equatable {
    /// The fields shown, by name: name, code, note, source, gang, gang note, link, link note.
    public var fields: [String]
    /// Each field's window of text, the words between `open` and `close`, joined by " … ".
    public var text: String

    /// Characters of context kept on each side of the first word marked in a field.
    static let context = 16

    public init(fields candidates: [(field: String, text: String)], words: [String], open: String, close: String) {
        var chosen: [Int] = []
        for word in words {
            if let index = candidates.indices.first(where: { Self.ranges(of: [word], in: candidates[$0].text).first != nil }),
                !chosen.contains(index)
            {
                chosen.append(index)
            }
        }
        chosen.sort()
        fields = chosen.map { candidates[$0].field }
        text = chosen.map { Self.window(candidates[$0].text, words: words, open: open, close: close) }
            .joined(separator: " … ")
    }

    /// Where the words occur, merged when they overlap, in text order (Latin letters in any case).
    static func ranges(of words: [String], in text: String) -> [Range<String.Index>] {
        var found: [Range<String.Index>] = []
        for word in words where !word.isEmpty {
            var start = text.startIndex
            while start < text.endIndex,
                let range = text.range(of: word, options: [.caseInsensitive, .literal], range: start..<text.endIndex)
            {
                found.append(range)
                start = text.index(after: range.lowerBound)
            }
        }
        found.sort { $0.lowerBound < $1.lowerBound }
        var merged: [Range<String.Index>] = []
        for range in found {
            if let last = merged.last, range.lowerBound <= last.upperBound {
                merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        return merged
    }

    /// The text around the first word, on one line, with the words marked and "…" where cut.
    static func window(_ full: String, words: [String], open: String, close: String) -> String {
        let text = full.replacingOccurrences(of: "\r\n", with: " ").replacingOccurrences(of: "\n", with: " ")
        let ranges = ranges(of: words, in: text)
        guard let first = ranges.first else { return text }
        let start = text.index(first.lowerBound, offsetBy: -Self.context, limitedBy: text.startIndex) ?? text.startIndex
        let lastShown = ranges.last { text.distance(from: start, to: $0.upperBound) <= 4 * Self.context } ?? first
        let end = text.index(lastShown.upperBound, offsetBy: Self.context, limitedBy: text.endIndex) ?? text.endIndex
        var out = start > text.startIndex ? "…" : ""
        var cursor = start
        for range in ranges where range.lowerBound >= start && range.upperBound <= end {
            out += text[cursor..<range.lowerBound] + open + text[range] + close
            cursor = range.upperBound
        }
        out += text[cursor..<end]
        if end < text.endIndex { out += "…" }
        return out
    }
}
