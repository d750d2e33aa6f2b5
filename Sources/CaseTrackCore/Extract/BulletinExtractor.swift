import Foundation

/// Where a figure or a case was read: the sentence, its offset in the text (in Unicode code
/// points), and the phrase that gave the figure.
public struct Evidence: Sendable, Equatable {
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
    public var category: String?
    /// The sentence that names the case.
    public var mention: Evidence
    public var results: [ExtractedResult]

    public var label: String { CaseLabel.format(city: city, code: code, year: year) }
}

/// Reads special cases and their figures out of bulletin text — “襄阳“1.13”专案，抓获犯罪嫌疑人249名，
/// 打掉犯罪团伙12个” — carefully: only the phrasings below count, every figure keeps the sentence it
/// came from, and nothing is guessed (a case without a year stays without one).
public struct BulletinExtractor {
    /// Every name of a division (短名, 全名) → its short name.
    let cityNames: [String: String]
    let mentionPattern: Regex<AnyRegexOutput>
    let cityPattern: Regex<AnyRegexOutput>
    let patterns: [Pattern]
    let continuations: [Pattern]
    let yearPattern: Regex<AnyRegexOutput>

    public init(cities: [City]) throws {
        patterns = try Self.makePatterns()
        continuations = try Self.makeContinuations()
        yearPattern = try Regex("(?<before>与|较|比)?(?<year>(?:19|20)[0-9]{2})年(?<after>相比|同期)?")
        var names: [String: String] = [:]
        for city in cities {
            names[city.shortName] = city.shortName
            names[city.fullName] = city.shortName
        }
        cityNames = names
        let alternatives = names.keys.sorted { $0.count > $1.count }.map(NSRegularExpression.escapedPattern(for:))
        cityPattern = try Regex("(?<city>" + alternatives.joined(separator: "|") + ")")
        mentionPattern = try Regex(
            "(?<city>" + alternatives.joined(separator: "|") + ")(?:市|县|区)?"
                + "(?<gap>[^，,。；;！!？?“”\"「」‘’'\\n]{0,12}?)"
                + "[“\"「‘'](?<code>[0-9０-９A-Za-z]+(?:[.·．・•][0-9０-９A-Za-z]+)*)[”\"」’']"
                + "(?<between>[^，,。；;！!？?\\n]{0,8}?)"
                + "(?<word>电信网络诈骗案|电信诈骗案|网络诈骗案|诈骗案|系列案|专案|案件|案)")
    }

    // MARK: - Patterns

    static let number = "(?<num>[0-9０-９][0-9０-９,，]*(?:[.．][0-9０-９]+)?万?|[零〇一二两三四五六七八九十百千万]+)(?<approx>余|多)?"
    static let clause = "[^，,。；;！!？?\\n]"

    struct Pattern {
        var kind: ResultKind
        var regex: Regex<AnyRegexOutput>
        /// Arrests the phrase itself says were found in the extended investigation.
        var extended: Bool = false
        /// "共抓获…": a total that a "其中…扩线" part may split.
        var total: Bool = false
    }

    static func makePatterns() throws -> [Pattern] {
        let n = number
        let c = clause
        func regex(_ text: String) throws -> Regex<AnyRegexOutput> { try Regex(text) }
        return [
            Pattern(kind: .arrest, regex: try regex("其中\(c){0,12}?(?:扩线|深挖)\(c){0,8}?(?:抓获)?(?:犯罪)?(?:嫌疑人)?\(n)(?:名|人)"), extended: true),
            Pattern(kind: .arrest, regex: try regex("(?:扩线|深挖)\(c){0,12}?抓获\(n)(?:名|人)"), extended: true),
            Pattern(kind: .arrest, regex: try regex("(?<total>共|累计|合计)?抓获(?:各类)?(?:犯罪)?嫌疑人(?:共)?\(n)(?:名|人)")),
            Pattern(kind: .arrest, regex: try regex("(?<total>共|累计|合计)?抓获\(n)(?:名|人)?(?:犯罪)?嫌疑人")),
            Pattern(kind: .arrest, regex: try regex("(?<total>共|累计|合计)?抓获涉案人员\(n)(?:名|人)")),
            Pattern(kind: .arrest, regex: try regex("刑(?:事)?拘(?:留)?(?:犯罪嫌疑人)?\(n)(?:名|人)")),
            Pattern(kind: .gang, regex: try regex("(?:打掉|摧毁|捣毁|打垮)(?:[^，,。；;！!？?、\\n0-9０-９个]{0,10}?)团伙\(n)个")),
            Pattern(kind: .gang, regex: try regex("(?:打掉|摧毁|捣毁|打垮)\(n)个[^，,。；;！!？?、\\n]{0,10}?团伙")),
            Pattern(kind: .link, regex: try regex("(?:打掉|斩断|摧毁|捣毁)\(n)个[^，,。；;！!？?、\\n]{0,10}?环节")),
            Pattern(kind: .link, regex: try regex("(?:打掉|斩断|摧毁|捣毁)[^，,。；;！!？?\\n0-9０-９个]{0,14}?环节\(n)个")),
        ]
    }

    /// "…团伙12个、犯罪环节7个": a list continuing the verb of the phrase before it.
    static func makeContinuations() throws -> [Pattern] {
        let n = number
        func regex(_ text: String) throws -> Regex<AnyRegexOutput> { try Regex(text) }
        return [
            Pattern(kind: .gang, regex: try regex("^[、和及](?:犯罪)?团伙\(n)个")),
            Pattern(kind: .gang, regex: try regex("^[、和及]\(n)个[^，,。；;！!？?、\\n]{0,10}?团伙")),
            Pattern(kind: .link, regex: try regex("^[、和及](?:犯罪)?(?:产业链)?环节\(n)个")),
            Pattern(kind: .link, regex: try regex("^[、和及]\(n)个[^，,。；;！!？?、\\n]{0,10}?环节")),
        ]
    }

    // MARK: - Extraction

    struct Sentence {
        var range: Range<String.Index>
        var offset: Int
    }

    /// The cases in `text`, in the order first mentioned. `defaultYear` is used when the text
    /// gives none; `category` overrides what the case words imply.
    public func extract(_ text: String, defaultYear: Int? = nil, category: String? = nil) -> [ExtractedCase] {
        let sentences = Self.sentences(of: text)
        func offset(_ index: String.Index) -> Int { text.unicodeScalars.distance(from: text.startIndex, to: index) }
        func sentence(containing index: String.Index) -> Sentence? {
            sentences.last { $0.range.lowerBound <= index } ?? sentences.first
        }
        func evidence(_ range: Range<String.Index>) -> Evidence {
            let s = sentence(containing: range.lowerBound)
            let sentenceText = s.map { String(text[$0.range]) } ?? String(text[range])
            return Evidence(
                text: sentenceText, offset: s?.offset ?? offset(range.lowerBound),
                phrase: String(text[range]), phraseOffset: offset(range.lowerBound))
        }

        struct Mention {
            var range: Range<String.Index>
            var city: String
            var code: String
            var word: String
        }
        let mentions: [Mention] = text.matches(of: mentionPattern).compactMap { match in
            // "武汉市洪山区“8.1”专案": the division named last before the code is the case's.
            let nearest = match.output["gap"]?.substring.flatMap { gap in
                gap.matches(of: cityPattern).last { candidate in
                    // 公安局 (the police) is not 公安县.
                    !gap[candidate.range.upperBound...].hasPrefix("局") && !gap[candidate.range.upperBound...].hasPrefix("机关")
                        && !gap[candidate.range.upperBound...].hasPrefix("分局")
                }?.output["city"]?.substring
            }
            guard let cityText = nearest ?? match.output["city"]?.substring, let city = cityNames[String(cityText)],
                let codeText = match.output["code"]?.substring, let code = try? CaseCode.normalise(String(codeText)),
                let word = match.output["word"]?.substring
            else { return nil }
            return Mention(range: match.range, city: city, code: code, word: String(word))
        }

        var cases: [ExtractedCase] = []
        for (index, mention) in mentions.enumerated() {
            let scopeEnd = index + 1 < mentions.count ? mentions[index + 1].range.lowerBound : text.endIndex
            let scope = mention.range.upperBound..<scopeEnd
            let year = self.year(before: mention.range.lowerBound, in: text, sentences: sentences) ?? defaultYear
            let results = self.results(in: text, scope: scope, sentences: sentences, evidence: evidence)
            var found = ExtractedCase(
                city: mention.city, code: mention.code, year: year,
                category: category ?? Self.category(of: mention.word), mention: evidence(mention.range), results: results)
            found.mention.phrase = String(text[mention.range])
            if let existing = cases.firstIndex(where: { $0.city == found.city && $0.code == found.code && ($0.year == found.year || $0.year == nil || found.year == nil) }) {
                cases[existing] = Self.merge(cases[existing], with: found)
            } else {
                cases.append(found)
            }
        }
        return cases
    }

    /// A later statement about a case replaces the figures it restates (the later figure wins,
    /// the earlier one is kept in the evidence); a repeated statement adds nothing.
    static func merge(_ earlier: ExtractedCase, with later: ExtractedCase) -> ExtractedCase {
        var merged = earlier
        merged.year = earlier.year ?? later.year
        merged.category = earlier.category ?? later.category
        let groups = Dictionary(grouping: later.results) { "\($0.kind.rawValue)/\($0.phase?.rawValue ?? "")" }
        for (key, newer) in groups.sorted(by: { $0.key < $1.key }) {
            let older = merged.results.filter { "\($0.kind.rawValue)/\($0.phase?.rawValue ?? "")" == key }
            if older.map(\.count) == newer.map(\.count) && older.map(\.isLowerBound) == newer.map(\.isLowerBound) {
                continue  // The same fact stated again.
            }
            let superseded = older.map { SupersededStatement(count: $0.count, text: $0.evidence.text, offset: $0.evidence.offset) }
            merged.results.removeAll { "\($0.kind.rawValue)/\($0.phase?.rawValue ?? "")" == key }
            for var result in newer {
                result.evidence.superseded = superseded
                merged.results.append(result)
            }
        }
        let order: [ResultKind] = [.arrest, .gang, .link]
        merged.results = merged.results.enumerated().sorted { a, b in
            let (ka, kb) = (order.firstIndex(of: a.element.kind) ?? 0, order.firstIndex(of: b.element.kind) ?? 0)
            return ka != kb ? ka < kb : a.offset < b.offset
        }.map(\.element)
        return merged
    }

    static func category(of word: String) -> String? {
        word.contains("诈骗") ? "电信网络诈骗" : nil
    }

    /// The last year the text names before the case (not one it compares with: 与2022年相比).
    func year(before index: String.Index, in text: String, sentences: [Sentence]) -> Int? {
        let before = text[..<index]
        let years = before.matches(of: yearPattern).compactMap { match -> Int? in
            guard match.output["before"]?.substring == nil, match.output["after"]?.substring == nil else { return nil }
            return match.output["year"]?.substring.flatMap { Int($0) }
        }
        return years.last.flatMap { PartialDate.years.contains($0) ? $0 : nil }
    }

    func results(
        in text: String, scope: Range<String.Index>, sentences: [Sentence],
        evidence: (Range<String.Index>) -> Evidence
    ) -> [ExtractedResult] {
        struct Found {
            var pattern: Pattern
            var range: Range<String.Index>
            var number: BulletinNumber
            var isTotal: Bool
        }
        let body = text[scope]
        var found: [Found] = []
        for pattern in patterns {
            for match in body.matches(of: pattern.regex) {
                guard let numberText = match.output["num"]?.substring,
                    let number = BulletinNumber(String(numberText) + (match.output["approx"]?.substring.map(String.init) ?? ""))
                else { continue }
                let isTotal = match.output["total"]?.substring != nil
                found.append(Found(pattern: pattern, range: match.range, number: number, isTotal: isTotal))
                // "打掉犯罪团伙12个、犯罪环节7个": follow the list.
                var end = match.range.upperBound
                continuation: while pattern.kind != .arrest {
                    for next in continuations {
                        if let more = try? next.regex.prefixMatch(in: body[end...]),
                            let moreText = more.output["num"]?.substring,
                            let moreNumber = BulletinNumber(String(moreText) + (more.output["approx"]?.substring.map(String.init) ?? ""))
                        {
                            found.append(Found(pattern: next, range: more.range, number: moreNumber, isTotal: false))
                            end = more.range.upperBound
                            continue continuation
                        }
                    }
                    break
                }
            }
        }
        // Where phrasings overlap, the one that starts first (then the longer) is the reading.
        found.sort { $0.range.lowerBound != $1.range.lowerBound ? $0.range.lowerBound < $1.range.lowerBound : $0.range.upperBound > $1.range.upperBound }
        var kept: [Found] = []
        for candidate in found where !kept.contains(where: { $0.range.overlaps(candidate.range) }) {
            kept.append(candidate)
        }

        var results: [ExtractedResult] = []
        for (position, item) in kept.enumerated() {
            guard ResultCount.range.contains(item.number.value) else { continue }
            var phase: ArrestPhase?
            var count = item.number.value
            if item.pattern.kind == .arrest {
                let sentenceStart = sentences.last { $0.range.lowerBound <= item.range.lowerBound }?.range.lowerBound ?? scope.lowerBound
                let before = text[max(sentenceStart, scope.lowerBound)..<item.range.lowerBound]
                if item.pattern.extended {
                    phase = .extended
                } else if item.isTotal {
                    // "共抓获506名（其中扩线深挖抓获169名）": the total less its extended part.
                    let sameSentenceEnd = sentences.first { $0.range.lowerBound > item.range.lowerBound }?.range.lowerBound ?? scope.upperBound
                    let part = kept[(position + 1)...].first {
                        $0.pattern.kind == .arrest && $0.pattern.extended && $0.range.lowerBound < sameSentenceEnd
                    }
                    if let part, part.number.value <= count {
                        count -= part.number.value
                        if count == 0 { continue }
                    }
                    phase = .initial
                } else {
                    phase = before.contains("扩线") || before.contains("深挖") ? .extended : .initial
                }
            }
            results.append(ExtractedResult(
                kind: item.pattern.kind, phase: phase, count: count, isLowerBound: item.number.isLowerBound,
                evidence: evidence(item.range)))
        }
        return results
    }

    /// Sentences end at 。！？；, their ASCII forms, or a line break; offsets are in code points.
    static func sentences(of text: String) -> [Sentence] {
        var sentences: [Sentence] = []
        var start = text.startIndex
        var startOffset = 0
        var offset = 0
        var index = text.startIndex
        let enders: Set<Character> = ["。", "！", "？", "；", "!", "?", ";", "\n"]
        while index < text.endIndex {
            let character = text[index]
            let next = text.index(after: index)
            offset += character.unicodeScalars.count
            if enders.contains(character) || character == "\r\n" {
                sentences.append(contentsOf: trimmed(start..<next, startOffset, text))
                start = next
                startOffset = offset
            }
            index = next
        }
        if start < text.endIndex { sentences.append(contentsOf: trimmed(start..<text.endIndex, startOffset, text)) }
        return sentences
    }

    private static func trimmed(_ range: Range<String.Index>, _ offset: Int, _ text: String) -> [Sentence] {
        var lower = range.lowerBound
        var lowerOffset = offset
        while lower < range.upperBound, text[lower].isWhitespace {
            lowerOffset += text[lower].unicodeScalars.count
            lower = text.index(after: lower)
        }
        var upper = range.upperBound
        while upper > lower, text[text.index(before: upper)].isWhitespace { upper = text.index(before: upper) }
        return lower < upper ? [Sentence(range: lower..<upper, offset: lowerOffset)] : []
    }
}
