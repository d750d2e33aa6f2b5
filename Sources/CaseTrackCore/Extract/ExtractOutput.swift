/// Extracted cases as import documents (with their evidence) and as a table for review.
extension ExtractedCase {
    /// The case as one import document. Every result carries `evidence` (the sentence, its
    /// offset in code points, the phrase read and any earlier statement it replaced) and
    /// `lower_bound` for figures written as "2000余"; `import` accepts and ignores both, and a
    /// lower bound is also said in the result's note so that it survives the import.
    public func documentJSON(source: String?) -> String {
        func text(_ value: String?) -> String { value.map(JSONText.string) ?? "null" }
        func object(_ fields: [(String, String)]) -> String {
            "{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
        }
        func evidenceJSON(_ e: Evidence) -> String {
            var fields = [("text", text(e.text)), ("offset", String(e.offset))]
            if let phrase = e.phrase { fields.append(("phrase", text(phrase))) }
            if let phraseOffset = e.phraseOffset { fields.append(("phrase_offset", String(phraseOffset))) }
            if !e.superseded.isEmpty {
                fields.append((
                    "superseded",
                    "[" + e.superseded.map { object([("count", String($0.count)), ("text", text($0.text)), ("offset", String($0.offset))]) }
                        .joined(separator: ",") + "]"))
            }
            return object(fields)
        }
        func note(_ r: ExtractedResult) -> String {
            r.isLowerBound ? text("约数，至少\(r.count)：原文“\(r.evidence.phrase ?? "")”") : "null"
        }
        let arrests = results.filter { $0.kind == .arrest }.map { r in
            object([("count", String(r.count)), ("phase", text(r.phase?.rawValue)), ("date", "null"), ("note", note(r)),
                ("lower_bound", r.isLowerBound ? "true" : "false"), ("evidence", evidenceJSON(r.evidence))])
        }
        let gangs = results.filter { $0.kind == .gang }.map { r in
            object([("count", String(r.count)), ("name", "null"), ("members", "null"), ("date", "null"), ("note", note(r)),
                ("lower_bound", r.isLowerBound ? "true" : "false"), ("evidence", evidenceJSON(r.evidence))])
        }
        let links = results.filter { $0.kind == .link }.map { r in
            object([("count", String(r.count)), ("type", "null"), ("name", "null"), ("date", "null"), ("note", note(r)),
                ("lower_bound", r.isLowerBound ? "true" : "false"), ("evidence", evidenceJSON(r.evidence))])
        }
        return object([
            ("city", text(city)), ("code", text(code)), ("year", year.map(String.init) ?? "null"), ("opened", "null"),
            ("closed", "null"), ("category", text(category)), ("name", "null"), ("status", "null"),
            ("source", text(source)), ("note", "null"), ("evidence", evidenceJSON(mention)),
            ("arrests", "[" + arrests.joined(separator: ",") + "]"),
            ("gangs", "[" + gangs.joined(separator: ",") + "]"),
            ("links", "[" + links.joined(separator: ",") + "]"),
        ])
    }
}

/// The review table of `extract --format table`: one row per figure, beside its evidence.
public enum ExtractTable {
    public static func make(_ cases: [ExtractedCase]) -> Table {
        var rows: [[Cell]] = []
        for found in cases {
            let label = found.label
            if found.results.isEmpty {
                rows.append([.text(label), .text("—"), .null, .null, .text(found.mention.text), .number(found.mention.offset)])
            }
            for r in found.results {
                let kind = r.kind == .arrest ? "arrests" + (r.phase == .extended ? " (extended)" : "") : r.kind == .gang ? "gangs" : "links"
                var evidence = r.evidence.phrase.map { "“\($0)” in: \(r.evidence.text)" } ?? r.evidence.text
                if !r.evidence.superseded.isEmpty {
                    evidence += " [replaces " + r.evidence.superseded.map { "\($0.count) at \($0.offset)" }.joined(separator: ", ") + "]"
                }
                rows.append([
                    .text(label), .text(kind), .number(r.count), .text(r.isLowerBound ? "at least" : ""),
                    .text(evidence), .number(r.evidence.offset),
                ])
            }
        }
        return Table(columns: ["case", "figure", "count", "bound", "evidence", "offset"], rows: rows)
    }
}
