/// The words and marks the bulletin reader looks for, as Unicode scalars.
enum Scalars {
    static func words(_ list: [String]) -> Words { Words(list) }

    static let sentenceEnders: Set<Unicode.Scalar> = ["。", "！", "？", "!", "?"]
    /// Marks that end a clause: a phrase never runs across them.
    static let clauseMarks: Set<Unicode.Scalar> = [
        "，", ",", "；", ";", "：", ":", "、", "（", "）", "(", ")", "—", "…", "。", "！", "？", "!", "?",
    ]
    static let openingQuotes: [Unicode.Scalar: Unicode.Scalar] = [
        "“": "”", "\"": "\"", "「": "」", "‘": "’", "'": "'", "『": "』",
    ]
    static let quotes: Set<Unicode.Scalar> = ["“", "”", "\"", "「", "」", "‘", "’", "'", "『", "』", "《", "》"]
    static let chineseNumerals: Set<Unicode.Scalar> = [
        "零", "〇", "一", "二", "两", "三", "四", "五", "六", "七", "八", "九", "十", "百", "千", "万",
    ]

    static func isDigit(_ s: Unicode.Scalar) -> Bool {
        ("0"..."9").contains(s) || (0xFF10...0xFF19).contains(s.value)
    }

    static func digitValue(_ s: Unicode.Scalar) -> Int {
        s.value >= 0xFF10 ? Int(s.value - 0xFF10) : Int(s.value - 0x30)
    }

    /// A scalar a phrase's filler words may not hold: clause marks, quotes, digits.
    static func stopsFiller(_ s: Unicode.Scalar) -> Bool {
        clauseMarks.contains(s) || quotes.contains(s) || isDigit(s)
    }

    // MARK: - Cases

    /// Words that end a case's name after its code: 专案, 案件, 系列案, 赌博案…
    static let caseWords = words(["专案", "案件", "系列案", "案"])
    /// 案 that starts another word (案发, 案值) does not end a case's name.
    static let notCaseWords = words(["案发", "案值", "案源", "案情", "案款", "案例"])
    /// Between a code and its case word: words that say the quotes named an operation, not a case.
    static let notCaseNames = words(["行动", "破获", "侦破", "侦办", "查处", "办理", "专项", "战役", "工作"])
    /// "公安局" is the police, not 公安县.
    static let police = words(["公安局", "公安分局", "公安机关", "公安厅", "公安部", "公安处"])
    /// "襄阳“1.13”专案和汉川“6406”专案共抓获…": a figure after two cases joined like this is theirs together.
    static let conjunctions: Set<Unicode.Scalar> = ["和", "与", "及", "、", "同", "暨", "以", " "]

    // MARK: - Figures

    static let arrestVerbs = words(["抓获", "抓捕", "缉捕", "缉拿"])
    static let detentionVerbs = words(["刑事拘留", "刑拘"])
    static let gangVerbs = words(["打掉", "摧毁", "捣毁", "打垮", "端掉", "铲除"])
    static let linkVerbs = words(["打掉", "斩断", "摧毁", "捣毁", "切断", "端掉"])
    static let verbFirsts: Set<Unicode.Scalar> = arrestVerbs.firsts.union(detentionVerbs.firsts).union(gangVerbs.firsts)
        .union(linkVerbs.firsts)

    /// What may stand between 抓获 and its number: "抓获各类犯罪嫌疑人共506名".
    static let personTokens = words([
        "各类", "涉案", "涉诈", "涉赌", "涉毒", "涉黄", "涉黑", "涉恶", "违法", "犯罪", "团伙", "嫌疑人员", "嫌疑人", "人员", "成员",
        "嫌犯", "到案", "归案", "共计", "合计", "累计", "共", "计", "达", "了",
    ])
    /// The nouns that end a longer filler: "抓获以张某为首的犯罪嫌疑人23名".
    static let personNouns = words(["嫌疑人员", "嫌疑人", "涉案人员", "人员", "成员", "嫌犯", "卡商", "车手", "话务员", "下线", "逃犯"])
    static let countTokens = words(["共计", "合计", "累计", "共", "计", "达"])
    /// After the unit: a part of the arrests, not their number ("抓获3名主犯").
    static let subsets = words(["主犯", "骨干", "头目", "首要", "组织者", "幕后"])
    static let totalMarks = words(["共计", "合计", "累计", "共"])
    static let additionMarks: Set<Unicode.Scalar> = ["又", "再", "另", "还"]
    /// 循线追踪 and 顺藤摸瓜 describe how a case was worked, not a later phase: not among these.
    static let extensionWords = words(["扩线", "深挖", "扩大战果"])
    static let partWords = words(["其中"])
    static let gangNoun = words(["团伙"])
    static let linkNoun = words(["环节"])
    /// A list's separators: "打掉犯罪团伙12个、犯罪环节7个".
    static let listMarks: Set<Unicode.Scalar> = ["、", "和", "及"]

    // MARK: - Whose figure

    /// A sentence that names no case gives its figures to the case before it only with one of these.
    static let references = words([
        "该案", "此案", "本案", "该专案", "此专案", "本专案", "该系列案", "专案组", "其中", "随后", "此后", "之后", "此前", "后经",
        "嗣后",
    ])
    /// A clause about the province, the year or a trend is never one case's result.
    static let wideScope = words([
        "全省", "全市", "全州", "全国", "全区", "全县", "各地", "各级", "全年", "年均", "同比", "全警", "五年来", "近五年", "近年来",
    ])
}

/// A list of words matched at a position, longest first.
struct Words: Sendable {
    let list: [[Unicode.Scalar]]
    let firsts: Set<Unicode.Scalar>

    init(_ words: [String]) {
        list = words.map { Array($0.unicodeScalars) }.sorted { $0.count > $1.count }
        firsts = Set(list.compactMap(\.first))
    }

    /// The length of the longest word at `index` that ends by `end`, or nil.
    func match(_ s: [Unicode.Scalar], at index: Int, end: Int, work: inout Int) -> Int? {
        guard index < end, firsts.contains(s[index]) else { return nil }
        for word in list where index + word.count <= end {
            work += 1
            var equal = true
            for (k, scalar) in word.enumerated() where s[index + k] != scalar {
                equal = false
                break
            }
            if equal { return word.count }
        }
        return nil
    }

    /// The length of the longest word that ends exactly at `end` and starts at or after `start`.
    func match(_ s: [Unicode.Scalar], endingAt end: Int, start: Int, work: inout Int) -> Int? {
        for word in list where end - word.count >= start {
            work += 1
            if s[(end - word.count)..<end].elementsEqual(word) { return word.count }
        }
        return nil
    }

    /// Whether a word occurs in `range` (a bounded scan: callers pass clause-sized ranges).
    func occurs(in s: [Unicode.Scalar], _ range: Range<Int>, work: inout Int) -> Bool {
        var i = range.lowerBound
        while i < range.upperBound {
            if match(s, at: i, end: range.upperBound, work: &work) != nil { return true }
            i += 1
        }
        return false
    }
}
