import Foundation

/// Where a figure or a case was read: the file, the sentence, its offset in the text (in Unicode
/// code points), and the phrase that gave the figure.
public struct Evidence: Sendable, Equatable {
    /// The file the text came from ("standard input" for -); nil when the text had no name.
    public var file: String?
    public var text: String
    public var offset: Int
    public var phrase: String?
    public var phraseOffset: Int?
    /// Earlier statements about the same figure that a later one replaced.
    public var superseded: [SupersededStatement] = []
}

/// An earlier figure replaced by a later statement about the same case.
public struct SupersededStatement: Sendable, Equatable {
    public var count: Int
    public var file: String?
    public var text: String
    public var offset: Int
}

/// One figure read from the text.
public struct ExtractedResult: Sendable, Equatable {
    public var kind: ResultKind
    /// For arrests: the initial sweep or the extended investigation.
    public var phase: ArrestPhase?
    public var count: Int
    /// "2000余": at least this many.
    public var isLowerBound: Bool
    public var evidence: Evidence
}

/// A case found in the text, with its figures.
public struct ExtractedCase: Sendable, Equatable {
    /// The division's short name (汉川).
    public var city: String
    public var code: String
    public var year: Int?
    /// The vocabulary's category the case words name (赌博案 → 赌博), or --category.
    public var category: String?
    /// The sentence that first names the case.
    public var mention: Evidence
    public var results: [ExtractedResult]

    public var label: String { CaseLabel.format(city: city, code: code, year: year) }
}

/// Something the reader left out that a person may want to look at: a result phrase that no
/// case is given, a count out of range, a figure written as rhetoric writes it.
public struct ExtractNote: Sendable, Equatable {
    public enum Reason: Sendable, Equatable {
        /// The sentence names no case and refers to none (or the case is ambiguous).
        case notCredited
        /// 一 alone (打掉一个团伙, 抓获一名): how slogans count, not how results are reported.
        case numeralOne
        /// Counts are 1…1,000,000.
        case outOfRange
        /// 又抓获N人 with no word saying it was the extended investigation.
        case phaseNotStated
        /// A sentence longer than the reader's window was read in pieces.
        case longSentence
    }

    public var reason: Reason
    public var phrase: String
    public var file: String?
    public var offset: Int

    public var description: String {
        let place = "in \(file ?? "the text") at offset \(offset)"
        switch reason {
        case .notCredited: return "not credited to any case: \"\(phrase)\" \(place)"
        case .numeralOne: return "not read as a figure (一 alone is how slogans count; results are written 1): \"\(phrase)\" \(place)"
        case .outOfRange: return "out of range (a count is 1…1,000,000): \"\(phrase)\" \(place)"
        case .phaseNotStated:
            return "not read: \"\(phrase)\" adds to an earlier figure without saying it is the extended investigation, \(place)"
        case .longSentence:
            return "a sentence of more than \(BulletinExtractor.sentenceWindow) characters was read in pieces \(place)"
        }
    }
}

/// Reads special cases and their figures out of bulletin text — “襄阳“1.13”专案，抓获犯罪嫌疑人249名，
/// 打掉犯罪团伙12个” — carefully: a figure belongs to a case only when its sentence names the case,
/// or continues one about it and refers back (该案, 其中, 随后…); every figure keeps the sentence it
/// came from; nothing is guessed.
///
/// The text is read once, sentence by sentence, and every phrase is matched inside a window of a
/// few characters, so time is linear in the text and memory is bounded by the longest sentence
/// (at most `sentenceWindow` characters) plus what is found.
public struct BulletinExtractor: Sendable {
    /// The longest sentence read as one; a longer one is cut (and noted), so that no input can
    /// make one sentence's work grow without bound.
    public static let sentenceWindow = 4_000

    /// Every name of a division (短名, 全名) → its short name, keyed by scalars.
    let cityNames: [[Unicode.Scalar]: String]
    let longestCityName: Int
    /// Category names and aliases, longest first, each with the category it stands for.
    let categoryTerms: [(term: [Unicode.Scalar], category: String)]

    public init(cities: [City], categories: [VocabularyEntry] = []) {
        var names: [[Unicode.Scalar]: String] = [:]
        for city in cities {
            names[Array(city.shortName.unicodeScalars)] = city.shortName
            names[Array(city.fullName.unicodeScalars)] = city.shortName
        }
        cityNames = names
        longestCityName = names.keys.map(\.count).max() ?? 0
        categoryTerms = categories.flatMap { entry in
            ([entry.name] + entry.aliases).map { (term: Array($0.unicodeScalars), category: entry.name) }
        }.filter { !$0.term.isEmpty }.sorted { $0.term.count > $1.term.count }
    }

    /// The cases in `text`, in the order first mentioned. `defaultYear` is used when the text
    /// gives none; `category` overrides what the case words imply.
    public func extract(_ text: String, defaultYear: Int? = nil, category: String? = nil) -> [ExtractedCase] {
        var reading = BulletinReading()
        read(text, file: nil, defaultYear: defaultYear, category: category, into: &reading)
        return reading.cases
    }

    /// True when a line ending on this character may be a sentence wrapped across lines: a
    /// Chinese character or a digit (a heading's colon, a closing bracket or a sentence end
    /// ends the line's thought).
    static func continuesOverLineBreak(_ scalar: Unicode.Scalar) -> Bool {
        (0x4E00...0x9FFF).contains(scalar.value) || ("0"..."9").contains(scalar)
    }

    /// Reads one document into `reading`, which may already hold what other documents said (a
    /// later statement about the same case replaces an earlier one, as within one text).
    public func read(_ text: String, file: String?, defaultYear: Int?, category: String?, into reading: inout BulletinReading) {
        var reader = SentenceReader(extractor: self, file: file, defaultYear: defaultYear, category: category)
        var buffer: [Unicode.Scalar] = []
        buffer.reserveCapacity(256)
        var joins: [Int] = []
        var start = 0
        var offset = 0
        var paragraph = 0
        // A line break inside a sentence (its line ends on a character, not a sentence end) is
        // decided by the next character: text again means the sentence was only wrapped.
        var wrapped = false
        var wrappedAfterCR = false
        func flush() {
            reader.read(Sentence(scalars: buffer, offset: start, paragraph: paragraph, joins: joins), into: &reading)
            buffer.removeAll(keepingCapacity: true)
            joins.removeAll(keepingCapacity: true)
        }
        for scalar in text.unicodeScalars {
            if wrapped {
                wrapped = false
                if scalar == "\n" && wrappedAfterCR {
                    // The \n of a \r\n line ending.
                    wrappedAfterCR = false
                    offset += 1
                    wrapped = true
                    continue
                }
                wrappedAfterCR = false
                if !scalar.properties.isWhitespace {
                    joins.append(buffer.count)
                } else {
                    flush()
                    paragraph += 1
                }
            }
            if buffer.isEmpty {
                start = offset
                if scalar.properties.isWhitespace {
                    offset += 1
                    if scalar == "\n" { paragraph += 1 }
                    continue
                }
            }
            offset += 1
            if scalar == "\n" || scalar == "\r" {
                if let last = buffer.last, Self.continuesOverLineBreak(last) {
                    wrapped = true
                    wrappedAfterCR = scalar == "\r"
                    continue
                }
                flush()
                if scalar == "\n" { paragraph += 1 }
                continue
            }
            buffer.append(scalar)
            if Scalars.sentenceEnders.contains(scalar) {
                flush()
            } else if buffer.count >= Self.sentenceWindow {
                reading.note(ExtractNote(reason: .longSentence, phrase: "", file: file, offset: start))
                flush()
            }
        }
        if wrapped {
            flush()
            paragraph += 1
        }
        if !buffer.isEmpty { flush() }
        reader.finish(into: &reading)
    }
}
