import Foundation

/// What `casetrack search` and `case list --search` look for, parsed from the user's text.
///
/// Words are separated by spaces (ASCII or full-width) and must all occur; `"…"` keeps a phrase
/// with its spaces as one word; `-word` or `-"phrase"` excludes cases containing it. A word is
/// found anywhere in the text, inside longer words too (Chinese has no spaces), ignoring the case
/// of Latin letters. A word needs at least two characters: one Chinese character matches
/// far too much to mean anything (跑 is in 跑分 and 逃跑 alike), so it is refused.
public struct SearchQuery: Sendable, Equatable {
    public struct Word: Sendable, Equatable {
        public var text: String
        public var excluded: Bool
    }

    public var words: [Word]

    /// Words to find, in the order given.
    public var wanted: [String] { words.filter { !$0.excluded }.map(\.text) }
    public var excludedWords: [String] { words.filter(\.excluded).map(\.text) }

    public init(parsing input: String) throws {
        var words: [Word] = []
        var scalars = Array(input.unicodeScalars)[...]
        func isSpace(_ s: Unicode.Scalar) -> Bool { s.properties.isWhitespace }
        while let first = scalars.first {
            if isSpace(first) {
                scalars = scalars.dropFirst()
                continue
            }
            var excluded = false
            if first == "-", scalars.count > 1, !isSpace(scalars[scalars.startIndex + 1]) {
                excluded = true
                scalars = scalars.dropFirst()
            }
            var text = String.UnicodeScalarView()
            if scalars.first == "\"" {
                scalars = scalars.dropFirst()
                guard let close = scalars.firstIndex(of: "\"") else {
                    throw CaseTrackError.input("the phrase \"\(String(String.UnicodeScalarView(scalars)))… has no closing quote (\")")
                }
                text.append(contentsOf: scalars[..<close])
                scalars = scalars[(close + 1)...]
            } else {
                while let next = scalars.first, !isSpace(next) {
                    text.append(next)
                    scalars = scalars.dropFirst()
                }
            }
            let word = String(text).trimmingWhitespace
            if word.isEmpty { continue }
            guard word.unicodeScalars.count >= 2 else {
                throw CaseTrackError.input(
                    "'\(word)' is one character; a search word needs at least two (one Chinese character matches far too much: "
                        + "跑 is in 跑分 and 逃跑 alike). Search for a word such as 跑分, or a phrase in quotes")
            }
            words.append(Word(text: word, excluded: excluded))
        }
        guard !words.isEmpty else { throw CaseTrackError.input("nothing to search for: give at least one word of two characters or more") }
        guard words.contains(where: { !$0.excluded }) else {
            throw CaseTrackError.input("every word is excluded (-WORD): give at least one word to look for")
        }
        self.words = words
    }
}

extension String {
    var trimmingWhitespace: String {
        let scalars = unicodeScalars
        // Most text has nothing to trim, and is returned as it is.
        if let first = scalars.first, let last = scalars.last, !first.properties.isWhitespace, !last.properties.isWhitespace {
            return self
        }
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}

/// Builds the FTS5 query over `case_search` (trigram tokens) for a parsed query.
///
/// A word of three or more characters is an FTS5 string, which the trigram tokenizer makes the
/// phrase of its trigrams: found only where they stand together, that is where the word stands.
/// A two-character word is the OR of the indexed trigrams that begin with it (every stored piece
/// of text ends with a line break, so each occurrence begins one); the caller looks them up in
/// `case_search_terms`. A word no trigram begins with matches nothing.
enum SearchExpression {
    /// The FTS5 query, or nil when a wanted word can match nothing.
    static func build(_ query: SearchQuery, trigramsStarting: (String) throws -> [String]) throws -> String? {
        func part(_ word: String) throws -> String? {
            if word.unicodeScalars.count >= 3 { return quoted(word) }
            let terms = try trigramsStarting(word.lowercased())
            if terms.isEmpty { return nil }
            return "(" + terms.map(quoted).joined(separator: " OR ") + ")"
        }
        var wanted: [String] = []
        for word in query.wanted {
            guard let part = try part(word) else { return nil }
            wanted.append(part)
        }
        var expression = "(" + wanted.joined(separator: " AND ") + ")"
        for word in query.excludedWords {
            if let part = try part(word) { expression += " NOT " + part }
        }
        return expression
    }

    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
