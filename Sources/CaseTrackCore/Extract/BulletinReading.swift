/// What has been read so far, from one text or several: the cases with their figures, and the
/// notes on what was left out.
public struct BulletinReading: Sendable {
    /// The cases in the order first named.
    public private(set) var cases: [ExtractedCase] = []
    /// Notes in the order found, up to `noteLimit`; `omittedNotes` counts the rest.
    public private(set) var notes: [ExtractNote] = []
    public private(set) var omittedNotes = 0
    /// How many times a case was named (a file that adds none names no case).
    public private(set) var statements = 0
    /// Units of work done (window probes); grows linearly with the text.
    public internal(set) var work = 0
    var index: [CaseKey: Int] = [:]

    /// Enough to review; a text that repeats one phrase a million times gives one screen, not a million lines.
    public static let noteLimit = 200

    public init() {}

    mutating func note(_ note: ExtractNote) {
        if notes.count < Self.noteLimit { notes.append(note) } else { omittedNotes += 1 }
    }

    mutating func merge(_ statement: Statement) {
        statements += 1
        let found = ExtractedCase(
            city: statement.key.city, code: statement.key.code, year: statement.key.year, category: statement.category,
            mention: statement.mention, results: statement.results())
        if let existing = index[statement.key] {
            cases[existing] = Self.merge(cases[existing], with: found)
        } else {
            index[statement.key] = cases.count
            cases.append(found)
        }
    }

    /// A later statement about a case replaces the figures it restates (the later figure wins,
    /// the earlier one is kept in the evidence); a repeated statement adds nothing.
    static func merge(_ earlier: ExtractedCase, with later: ExtractedCase) -> ExtractedCase {
        var merged = earlier
        merged.category = earlier.category ?? later.category
        func key(_ r: ExtractedResult) -> String { "\(r.kind.rawValue)/\(r.phase?.rawValue ?? "")" }
        let groups = Dictionary(grouping: later.results, by: key)
        for (group, newer) in groups.sorted(by: { $0.key < $1.key }) {
            let older = merged.results.filter { key($0) == group }
            if older.map(\.count) == newer.map(\.count) && older.map(\.isLowerBound) == newer.map(\.isLowerBound) {
                continue  // The same fact stated again.
            }
            let superseded = older.map {
                SupersededStatement(count: $0.count, file: $0.evidence.file, text: $0.evidence.text, offset: $0.evidence.offset)
            }
            merged.results.removeAll { key($0) == group }
            for var result in newer {
                result.evidence.superseded = superseded
                merged.results.append(result)
            }
        }
        merged.results = Statement.ordered(merged.results)
        return merged
    }
}

/// A case and its year, as the register keys it.
struct CaseKey: Hashable {
    var city: String
    var code: String
    var year: Int?
}

/// One naming of a case and the figures given to it: from its sentence, and from the sentences
/// that continue it and refer back to it.
struct Statement {
    struct Arrest {
        var result: ExtractedResult
        var figure: FigurePhrase
    }

    var key: CaseKey
    var category: String?
    var mention: Evidence
    var arrests: [Arrest] = []
    var others: [ExtractedResult] = []

    mutating func add(_ figure: FigurePhrase, evidence: Evidence) {
        let result = ExtractedResult(
            kind: figure.kind, phase: figure.kind == .arrest ? (figure.isExtended ? .extended : .initial) : nil,
            count: figure.number.value, isLowerBound: figure.number.isLowerBound, evidence: evidence)
        if figure.kind != .arrest {
            others.append(result)
        } else if !figure.isPart || figure.isExtended {
            // "其中刑拘200名": a part of the arrests, not another figure.
            arrests.append(Arrest(result: result, figure: figure))
        }
    }

    /// At most one initial and one extended figure: the last one stated wins (a 刑拘 figure only
    /// when no 抓获 one is stated), and a total gives up the part found in the extended investigation.
    func results() -> [ExtractedResult] {
        func last(_ phase: ArrestPhase) -> (chosen: Arrest, earlier: [Arrest])? {
            let stated = arrests.filter { $0.result.phase == phase }
            let arrested = stated.filter { !$0.figure.isDetention }
            guard let chosen = arrested.last ?? stated.last else { return nil }
            let earlier = arrested.filter { $0.result.evidence.phraseOffset != chosen.result.evidence.phraseOffset && $0.result.count != chosen.result.count }
            return (chosen, earlier)
        }
        var results: [ExtractedResult] = []
        var initial = last(.initial)
        let extended = last(.extended)
        if let part = extended?.chosen, let total = initial?.chosen,
            (total.result.evidence.phraseOffset ?? 0) < (part.result.evidence.phraseOffset ?? 0),
            part.figure.isPart || (total.figure.isTotal && !part.figure.isAddition && total.result.evidence.offset == part.result.evidence.offset),
            part.result.count <= total.result.count
        {
            // "共抓获506名（其中扩线深挖抓获169名）": 337 in the initial sweep.
            if part.result.count == total.result.count {
                initial = nil
            } else {
                initial?.chosen.result.count -= part.result.count
            }
        }
        for found in [initial, extended].compactMap({ $0 }) {
            var result = found.chosen.result
            result.evidence.superseded = found.earlier.map {
                SupersededStatement(count: $0.result.count, file: $0.result.evidence.file, text: $0.result.evidence.text, offset: $0.result.evidence.offset)
            }
            results.append(result)
        }
        return Self.ordered(results + others)
    }

    /// Arrests (initial, then extended), gangs, links; each in the order stated.
    static func ordered(_ results: [ExtractedResult]) -> [ExtractedResult] {
        func rank(_ r: ExtractedResult) -> Int {
            switch r.kind {
            case .arrest: return r.phase == .extended ? 1 : 0
            case .gang: return 2
            case .link: return 3
            }
        }
        return results.enumerated().sorted { a, b in
            rank(a.element) != rank(b.element) ? rank(a.element) < rank(b.element) : a.offset < b.offset
        }.map(\.element)
    }
}
