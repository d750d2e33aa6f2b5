/// One sentence of the text: its scalars, its offset in code points and its paragraph.
struct Sentence {
    var scalars: [Unicode.Scalar]
    var offset: Int
    var paragraph: Int
    /// Positions in `scalars` before which a line break of the text was left out (a sentence
    /// hard-wrapped across lines, as text copied from a PDF is), so that offsets stay the text's.
    var joins: [Int] = []

    /// The offset in the text of the scalar at `index`.
    func textOffset(_ index: Int) -> Int {
        offset + index + joins.filter { $0 <= index }.count
    }
}

/// A case named in a sentence: 汉川市公安局侦办的“6406”专案.
struct Mention {
    var range: Range<Int>
    var city: String
    var code: String
    /// The words that may name a category: between the city and the code, and the case word.
    var categoryText: [Unicode.Scalar]
}

/// A result phrase found in a sentence, before it is given to a case.
struct FigurePhrase {
    var kind: ResultKind
    var range: Range<Int>
    var number: FigureNumber
    /// Where its verb stands (the range may start earlier, at 扩线 or 共).
    var anchor = 0
    /// 刑拘/刑事拘留: read only when no 抓获 figure is stated.
    var isDetention = false
    /// 共/累计抓获: a total that a 其中 part may split.
    var isTotal = false
    /// 又/再/另抓获: more, on top of a figure stated before.
    var isAddition = false
    var isExtended = false
    /// 其中…: a part of a figure stated before.
    var isPart = false
    /// 全省/同比… in its clause (a list's items take their verb's): not one case's result.
    var isWideScope = false
}

/// Reads sentences in order and gives each figure to the case its sentence names or refers to.
struct SentenceReader {
    let extractor: BulletinExtractor
    let file: String?
    let defaultYear: Int?
    let category: String?
    /// The last year named before the current position (not one compared with).
    var lastYear: Int?
    var statement: Statement?
    var paragraph = -1
    /// Units of work done (window probes); a test checks that it grows linearly with the text.
    var work = 0

    init(extractor: BulletinExtractor, file: String?, defaultYear: Int?, category: String?) {
        self.extractor = extractor
        self.file = file
        self.defaultYear = defaultYear
        self.category = category
    }

    mutating func finish(into reading: inout BulletinReading) {
        close(into: &reading)
        reading.work += work
    }

    mutating func close(into reading: inout BulletinReading) {
        if let statement { reading.merge(statement) }
        statement = nil
    }

    mutating func read(_ raw: Sentence, into reading: inout BulletinReading) {
        var sentence = raw
        while let last = sentence.scalars.last, last.properties.isWhitespace { sentence.scalars.removeLast() }
        let s = sentence.scalars
        guard !s.isEmpty else { return }
        if sentence.paragraph != paragraph {
            // A reference never reaches into another paragraph.
            close(into: &reading)
            paragraph = sentence.paragraph
        }
        let years = self.years(in: s)
        let mentions = self.mentions(in: s)
        let marks = Marks(s, work: &work)
        let figures = self.figures(in: s, marks: marks, mentions: mentions)
        lazy var text = String(String.UnicodeScalarView(s))
        func evidence(_ range: Range<Int>?) -> Evidence {
            Evidence(
                file: file, text: text, offset: sentence.offset,
                phrase: range.map { String(String.UnicodeScalarView(s[$0])) }, phraseOffset: range.map { sentence.textOffset($0.lowerBound) })
        }
        func uncredited(_ figure: FigurePhrase) {
            reading.note(ExtractNote(
                reason: .notCredited, phrase: String(String.UnicodeScalarView(s[figure.range])), file: file,
                offset: sentence.textOffset(figure.range.lowerBound)))
        }

        // Before the first case named (or in a sentence that names none): the case before, if referred to.
        let firstMention = mentions.first?.range.lowerBound ?? s.count
        for figure in figures where figure.anchor < firstMention {
            if statement != nil, marks.lastReference[figure.anchor] != nil {
                add(figure, evidence: evidence(figure.range), reading: &reading)
            } else {
                uncredited(figure)
            }
        }
        if mentions.isEmpty {
            if marks.lastReference[s.count] == nil { close(into: &reading) }
            updateYear(years, before: s.count)
            return
        }
        for (index, mention) in mentions.enumerated() {
            close(into: &reading)
            let year = years.last { $0.position < mention.range.lowerBound }?.year ?? lastYear ?? defaultYear
            statement = Statement(
                key: CaseKey(city: mention.city, code: mention.code, year: year),
                category: category ?? self.category(of: mention.categoryText),
                mention: evidence(mention.range))
            let end = index + 1 < mentions.count ? mentions[index + 1].range.lowerBound : s.count
            let joint = index > 0 && Self.joined(s, mentions[index - 1].range.upperBound..<mention.range.lowerBound)
            for figure in figures where figure.anchor >= mention.range.upperBound && figure.anchor < end {
                if joint { uncredited(figure) } else { add(figure, evidence: evidence(figure.range), reading: &reading) }
            }
            if joint, index == mentions.count - 1 { close(into: &reading) }
        }
        updateYear(years, before: s.count)
    }

    /// Gives a figure to the open statement, or notes why not.
    mutating func add(_ figure: FigurePhrase, evidence: Evidence, reading: inout BulletinReading) {
        let phrase = evidence.phrase ?? ""
        let offset = evidence.phraseOffset ?? evidence.offset
        if figure.isWideScope {
            reading.note(ExtractNote(reason: .notCredited, phrase: phrase, file: file, offset: offset))
            return
        }
        if figure.number.isBareOne {
            reading.note(ExtractNote(reason: .numeralOne, phrase: phrase, file: file, offset: offset))
            return
        }
        guard ResultCount.range.contains(figure.number.value) else {
            reading.note(ExtractNote(reason: .outOfRange, phrase: phrase, file: file, offset: offset))
            return
        }
        if figure.kind == .arrest, figure.isAddition, !figure.isExtended {
            reading.note(ExtractNote(reason: .phaseNotStated, phrase: phrase, file: file, offset: offset))
            return
        }
        statement?.add(figure, evidence: evidence)
    }

    mutating func updateYear(_ years: [(position: Int, year: Int)], before end: Int) {
        if let last = years.last(where: { $0.position < end }) { lastYear = last.year }
    }

    /// "和", "与", "、": two cases named together share what follows.
    static func joined(_ s: [Unicode.Scalar], _ range: Range<Int>) -> Bool {
        range.count <= 3 && s[range].allSatisfy { Scalars.conjunctions.contains($0) }
    }

    /// The category the case words name: the longest name or alias of the vocabulary they hold.
    func category(of text: [Unicode.Scalar]) -> String? {
        for (term, category) in extractor.categoryTerms where term.count <= text.count {
            for start in 0...(text.count - term.count) where text[start..<(start + term.count)].elementsEqual(term) {
                return category
            }
        }
        return nil
    }

    // MARK: - Years

    /// "2023年" (not "与2022年相比", "较2022年同期"), with the position of its first digit.
    func years(in s: [Unicode.Scalar]) -> [(position: Int, year: Int)] {
        var found: [(position: Int, year: Int)] = []
        for i in 4..<max(s.count, 4) where s[i] == "年" {
            let digits = s[(i - 4)..<i]
            guard digits.allSatisfy(Scalars.isDigit), i == 4 || !Scalars.isDigit(s[i - 5]) else { continue }
            if i >= 5, ["与", "较", "比"].contains(s[i - 5]) { continue }
            if i + 2 < s.count, (s[i + 1] == "相" && s[i + 2] == "比") || (s[i + 1] == "同" && s[i + 2] == "期") { continue }
            let year = digits.reduce(0) { $0 * 10 + Scalars.digitValue($1) }
            if PartialDate.years.contains(year) { found.append((i - 4, year)) }
        }
        return found
    }
}

/// Where the words that decide a figure's owner and phase last occurred before each position.
struct Marks {
    /// lastX[i]: the start of the last X that ends at or before i, nil when none.
    var lastReference: [Int?]
    var lastExtension: [Int?]
    var lastPart: [Int?]
    var lastWideScope: [Int?]
    var lastClauseMark: [Int?]

    init(_ s: [Unicode.Scalar], work: inout Int) {
        let n = s.count
        let none = [Int?](repeating: nil, count: n + 1)
        func scan(_ words: Words, work: inout Int) -> [Int?] {
            var endingAt = none
            for i in 0..<n {
                if let length = words.match(s, at: i, end: n, work: &work) { endingAt[i + length] = i }
            }
            return Self.carried(endingAt)
        }
        lastReference = scan(Scalars.references, work: &work)
        lastExtension = scan(Scalars.extensionWords, work: &work)
        lastPart = scan(Scalars.partWords, work: &work)
        lastWideScope = scan(Scalars.wideScope, work: &work)
        var marks = none
        for i in 0..<n where Scalars.clauseMarks.contains(s[i]) { marks[i + 1] = i }
        lastClauseMark = Self.carried(marks)
        work += 5 * n
    }

    /// Each mark carried forward until the next.
    static func carried(_ endingAt: [Int?]) -> [Int?] {
        var result = endingAt
        var current: Int?
        for i in result.indices {
            if let start = endingAt[i] { current = max(current ?? start, start) }
            result[i] = current
        }
        return result
    }
}
