/// The phrases of one sentence: the cases it names and the result phrases it holds. Every
/// match looks at most a few dozen scalars around its anchor (a quote, a verb).
extension SentenceReader {
    // MARK: - Cases

    /// 汉川“6406”专案, 武汉市洪山区“8.1”专案, 汉川市公安局侦办的“6406”专案, 黄冈“2024-01”专案,
    /// “5·20”赌博案: a division, a quoted code (anything `CaseCode` accepts) and a case word.
    mutating func mentions(in s: [Unicode.Scalar]) -> [Mention] {
        var found: [Mention] = []
        var floor = 0
        var i = 0
        while i < s.count {
            guard let closing = Scalars.openingQuotes[s[i]] else {
                i += 1
                continue
            }
            var j = i + 1
            while j < s.count, j - i <= 25, s[j] != closing, !Scalars.clauseMarks.contains(s[j]), !Scalars.quotes.contains(s[j]),
                !s[j].properties.isWhitespace
            {
                j += 1
            }
            guard j < s.count, s[j] == closing, j > i + 1 else {
                i += 1
                continue
            }
            guard let wordEnd = caseWordEnd(s, after: j), let city = city(before: i, floor: floor, in: s),
                let code = try? CaseCode.normalise(String(String.UnicodeScalarView(s[(i + 1)..<j])))
            else {
                i = j + 1
                continue
            }
            found.append(Mention(
                range: city.start..<wordEnd, city: city.name, code: code,
                categoryText: Array(s[city.end..<i]) + Array(s[(j + 1)..<wordEnd])))
            floor = wordEnd
            i = wordEnd
        }
        return found
    }

    /// The end of the case word within a few scalars after a code's closing quote (专案, 赌博案…).
    mutating func caseWordEnd(_ s: [Unicode.Scalar], after quote: Int) -> Int? {
        var k = quote + 1
        while k < s.count, k - quote <= 11, !Scalars.stopsFiller(s[k]) {
            if Scalars.notCaseWords.match(s, at: k, end: s.count, work: &work) != nil { return nil }
            if let length = Scalars.caseWords.match(s, at: k, end: s.count, work: &work) {
                return Scalars.notCaseNames.occurs(in: s, (quote + 1)..<k, work: &work) ? nil : k + length
            }
            k += 1
        }
        return nil
    }

    /// The division named nearest before a code, within its clause (not 公安 of 公安局).
    mutating func city(before quote: Int, floor: Int, in s: [Unicode.Scalar]) -> (name: String, start: Int, end: Int)? {
        var gapStart = quote
        while gapStart > max(floor, quote - 16), !Scalars.clauseMarks.contains(s[gapStart - 1]), !Scalars.quotes.contains(s[gapStart - 1]) {
            gapStart -= 1
        }
        guard quote - gapStart >= 2 else { return nil }
        for start in stride(from: quote - 2, through: gapStart, by: -1) {
            if Scalars.police.match(s, at: start, end: quote, work: &work) != nil { continue }
            for length in stride(from: min(extractor.longestCityName, quote - start), through: 2, by: -1) {
                work += 1
                if let name = extractor.cityNames[Array(s[start..<(start + length)])] {
                    return (name, start, start + length)
                }
            }
        }
        return nil
    }

    // MARK: - Figures

    /// Every result phrase of the sentence, in order, with what its surroundings say about it.
    mutating func figures(in s: [Unicode.Scalar], marks: Marks, mentions: [Mention]) -> [FigurePhrase] {
        var found: [FigurePhrase] = []
        var previousArrestEnd = 0
        var previousEnd = 0
        var i = 0
        while i < s.count {
            guard Scalars.verbFirsts.contains(s[i]) else {
                i += 1
                continue
            }
            var matched = arrest(at: i, in: s).map { [$0] } ?? gangOrLink(at: i, in: s)
            guard let head = matched.first else {
                i += 1
                continue
            }
            // Where this case's words begin: its mention, or the sentence.
            let segment = mentions.last { $0.range.upperBound <= i }?.range.lowerBound ?? 0
            let clause = max(segment, (marks.lastClauseMark[i] ?? -1) + 1)
            let wide = (marks.lastWideScope[i] ?? -1) >= clause
            for index in matched.indices {
                matched[index].anchor = matched[index].range.lowerBound
                matched[index].isWideScope = wide
                matched[index].isPart = (marks.lastPart[i] ?? -1) >= max(segment, previousEnd)
            }
            if head.kind == .arrest {
                matched[0].isExtended = (marks.lastExtension[i] ?? -1) >= max(segment, previousArrestEnd)
                matched[0].isAddition = (max(clause, i - 8)..<i).contains { Scalars.additionMarks.contains(s[$0]) }
                let mark = Scalars.totalMarks.match(s, endingAt: i, start: max(clause, i - 2), work: &work)
                matched[0].isTotal = matched[0].isTotal || mark != nil
                // The phrase shown as evidence starts at the words that gave the phase or the total.
                let mentionEnd = mentions.last { $0.range.upperBound <= i }?.range.upperBound ?? 0
                if matched[0].isExtended, var start = marks.lastExtension[i], start >= mentionEnd {
                    // "扩线深挖": back to the first of the words that run together.
                    while let earlier = marks.lastExtension[start], earlier >= max(mentionEnd, previousArrestEnd), earlier >= start - 4 {
                        start = earlier
                    }
                    matched[0].range = start..<head.range.upperBound
                } else if let mark {
                    matched[0].range = (i - mark)..<head.range.upperBound
                }
                previousArrestEnd = head.range.upperBound
            }
            previousEnd = matched.last!.range.upperBound
            found += matched
            i = previousEnd
        }
        return found
    }

    /// 抓获（各类）（犯罪）嫌疑人（共）N名, 抓获N名（犯罪嫌疑人）, 抓获以…为首的犯罪嫌疑人N名, 刑拘N人.
    mutating func arrest(at p: Int, in s: [Unicode.Scalar]) -> FigurePhrase? {
        var isDetention = false
        var verb = Scalars.arrestVerbs.match(s, at: p, end: s.count, work: &work)
        if verb == nil {
            verb = Scalars.detentionVerbs.match(s, at: p, end: s.count, work: &work)
            isDetention = true
        }
        guard let verb else { return nil }
        let q = p + verb
        var e = q
        while e < min(s.count, q + 16) {
            work += 1
            let isDigit = Scalars.isDigit(s[e])
            if isDigit || Scalars.chineseNumerals.contains(s[e]), let number = FigureNumber.read(s, at: e) {
                var unitEnd = number.end
                if unitEnd < s.count, s[unitEnd] == "名" || (s[unitEnd] == "人" && (unitEnd + 1 == s.count || s[unitEnd + 1] != "次")) {
                    unitEnd += 1
                    guard personFiller(s, q..<e) else { return nil }
                    if Scalars.subsets.match(s, at: unitEnd, end: s.count, work: &work) != nil { return nil }
                    var figure = FigurePhrase(kind: .arrest, range: p..<unitEnd, number: number)
                    figure.isDetention = isDetention
                    figure.isTotal = Scalars.totalMarks.occurs(in: s, q..<e, work: &work)
                    return figure
                }
                if isDigit { return nil }
            }
            if Scalars.stopsFiller(s[e]) { return nil }
            e += 1
        }
        return nil
    }

    /// Nothing, person words only (各类犯罪嫌疑人共), or any words ending with a person noun.
    mutating func personFiller(_ s: [Unicode.Scalar], _ range: Range<Int>) -> Bool {
        var i = range.lowerBound
        while i < range.upperBound, let length = Scalars.personTokens.match(s, at: i, end: range.upperBound, work: &work) {
            i += length
        }
        if i == range.upperBound { return true }
        var end = range.upperBound
        if let count = Scalars.countTokens.match(s, endingAt: end, start: range.lowerBound, work: &work) { end -= count }
        return Scalars.personNouns.match(s, endingAt: end, start: range.lowerBound, work: &work) != nil
    }

    /// 打掉（犯罪）团伙N个, 打掉N个…团伙, 斩断…环节N个, 打掉N个…环节, with the list that may follow
    /// (团伙12个、犯罪环节7个; 窝点5个、犯罪团伙3个).
    mutating func gangOrLink(at p: Int, in s: [Unicode.Scalar]) -> [FigurePhrase] {
        let gangVerb = Scalars.gangVerbs.match(s, at: p, end: s.count, work: &work)
        let linkVerb = Scalars.linkVerbs.match(s, at: p, end: s.count, work: &work)
        guard let verb = [gangVerb, linkVerb].compactMap({ $0 }).max() else { return [] }
        let q = p + verb + (p + verb < s.count && s[p + verb] == "了" ? 1 : 0)
        guard var item = counted(at: q, in: s) else { return [] }
        // 斩断 cuts links, 铲除 roots out gangs; an item of another noun (窝点) is passed over.
        func isResult(_ kind: ResultKind) -> Bool { kind == .gang ? gangVerb != nil : kind == .link && linkVerb != nil }
        var figures: [FigurePhrase] = []
        if isResult(item.kind) {
            item.range = p..<item.range.upperBound
            figures.append(item)
        }
        var x = item.range.upperBound
        while x + 1 < s.count, Scalars.listMarks.contains(s[x]), let more = counted(at: x + 1, in: s) {
            x = more.range.upperBound
            if more.kind != .arrest { figures.append(more) }
        }
        return figures
    }

    /// After a verb or a list mark: N个…团伙 or …团伙N个 (环节 likewise). Another counted noun
    /// (窝点5个, 一条产业链) comes back as `.arrest`, for the list to pass over.
    mutating func counted(at q: Int, in s: [Unicode.Scalar]) -> FigurePhrase? {
        func noun(endingAt end: Int, from start: Int) -> ResultKind? {
            if Scalars.gangNoun.match(s, endingAt: end, start: start, work: &work) != nil { return .gang }
            if Scalars.linkNoun.match(s, endingAt: end, start: start, work: &work) != nil { return .link }
            return nil
        }
        let otherUnits: Set<Unicode.Scalar> = ["个", "处", "条", "家", "种"]
        // Filler may hold quotes (打掉“跑分”团伙) and, listing types, 、 (引流推广、洗钱等犯罪环节).
        func stops(_ scalar: Unicode.Scalar) -> Bool {
            Scalars.stopsFiller(scalar) && scalar != "、" && !Scalars.quotes.contains(scalar)
        }
        // N个…团伙
        if let number = FigureNumber.read(s, at: q), number.end < s.count, otherUnits.contains(s[number.end]) {
            if s[number.end] == "个" {
                var e = number.end + 1
                while e <= min(s.count, number.end + 17) {
                    work += 1
                    if let found = noun(endingAt: e, from: number.end + 1) { return FigurePhrase(kind: found, range: q..<e, number: number) }
                    if e == s.count || stops(s[e]) || s[e] == "、" { break }
                    e += 1
                }
            }
            return FigurePhrase(kind: .arrest, range: q..<(number.end + 1), number: number)
        }
        // …团伙N个
        var e = q
        while e < min(s.count, q + 25) {
            work += 1
            if let found = noun(endingAt: e, from: q) {
                var n = e
                if let count = Scalars.countTokens.match(s, at: n, end: s.count, work: &work) { n += count }
                if let number = FigureNumber.read(s, at: n), number.end < s.count, s[number.end] == "个" {
                    return FigurePhrase(kind: found, range: q..<(number.end + 1), number: number)
                }
            }
            if e > q, let number = FigureNumber.read(s, at: e), number.end < s.count, otherUnits.contains(s[number.end]) {
                return FigurePhrase(kind: .arrest, range: q..<(number.end + 1), number: number)
            }
            if stops(s[e]) { return nil }
            e += 1
        }
        return nil
    }
}
