/// Extracted cases as import documents (with their evidence) and as a table for review.
extension ExtractedCase {
    /// The case as one "totals-only" import document: it states only what the text states.
    ///
    /// `"totals_only": true`; no key for a field the text does not give (absent means "leave as
    /// is", where null would mean "clear it"): `category` only when stated, `source` only when
    /// given, `arrests`, `gangs` and `links` only with a figure, one entry per figure (at most one
    /// initial and one extended arrest entry). Every entry has `count`, `lower_bound` and
    /// `evidence` (file, sentence, offsets, any statement it replaced); arrests add `phase`; a
    /// lower bound ("2000余") is also said in `note`, so that it survives the import.
    public func documentJSON(source: String?) -> String {
        var fields = [("city", JSONText.string(city)), ("code", JSONText.string(code))]
        if let year { fields.append(("year", String(year))) }
        fields.append(("totals_only", "true"))
        if let category { fields.append(("category", JSONText.string(category))) }
        if let source { fields.append(("source", JSONText.string(source))) }
        fields.append(("evidence", Self.json(mention)))
        for (key, kind) in [("arrests", ResultKind.arrest), ("gangs", .gang), ("links", .link)] {
            let entries = results.filter { $0.kind == kind }.map(Self.json)
            if !entries.isEmpty { fields.append((key, "[" + entries.joined(separator: ",") + "]")) }
        }
        return Self.object(fields)
    }

    static func json(_ r: ExtractedResult) -> String {
        var fields = [("count", String(r.count))]
        if let phase = r.phase { fields.append(("phase", JSONText.string(phase.rawValue))) }
        fields.append(("lower_bound", r.isLowerBound ? "true" : "false"))
        if r.isLowerBound { fields.append(("note", JSONText.string("约数，至少\(r.count)：原文“\(r.evidence.phrase ?? "")”"))) }
        fields.append(("evidence", json(r.evidence)))
        return object(fields)
    }

    static func json(_ e: Evidence) -> String {
        var fields: [(String, String)] = []
        if let file = e.file { fields.append(("file", JSONText.string(file))) }
        fields += [("text", JSONText.string(e.text)), ("offset", String(e.offset))]
        if let phrase = e.phrase { fields.append(("phrase", JSONText.string(phrase))) }
        if let phraseOffset = e.phraseOffset { fields.append(("phrase_offset", String(phraseOffset))) }
        if !e.superseded.isEmpty {
            let earlier = e.superseded.map { s in
                object([("count", String(s.count))] + (s.file.map { [("file", JSONText.string($0))] } ?? [])
                    + [("text", JSONText.string(s.text)), ("offset", String(s.offset))])
            }
            fields.append(("superseded", "[" + earlier.joined(separator: ",") + "]"))
        }
        return object(fields)
    }

    static func object(_ fields: [(String, String)]) -> String {
        "{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
    }
}

/// The review table of `extract --format table`: one row per figure, beside its file and evidence.
public enum ExtractTable {
    public static func make(_ cases: [ExtractedCase]) -> Table {
        var rows: [[Cell]] = []
        for found in cases {
            let label = found.label
            let category: Cell = found.category.map { .text($0) } ?? .null
            if found.results.isEmpty {
                rows.append([
                    file(found.mention), .text(label), category, .text("—"), .null, .null, .text(found.mention.text),
                    .number(found.mention.offset),
                ])
            }
            for r in found.results {
                let kind = r.kind == .arrest ? "arrests" + (r.phase == .extended ? " (extended)" : "") : r.kind == .gang ? "gangs" : "links"
                var evidence = r.evidence.phrase.map { "“\($0)” in: \(r.evidence.text)" } ?? r.evidence.text
                if !r.evidence.superseded.isEmpty {
                    evidence += " [replaces " + r.evidence.superseded.map { "\($0.count) at \($0.offset)" }.joined(separator: ", ") + "]"
                }
                rows.append([
                    file(r.evidence), .text(label), category, .text(kind), .number(r.count), .text(r.isLowerBound ? "at least" : ""),
                    .text(evidence), .number(r.evidence.offset),
                ])
            }
        }
        return Table(columns: ["file", "case", "category", "figure", "count", "bound", "evidence", "offset"], rows: rows)
    }

    static func file(_ evidence: Evidence) -> Cell { evidence.file.map { .text($0) } ?? .null }
}
