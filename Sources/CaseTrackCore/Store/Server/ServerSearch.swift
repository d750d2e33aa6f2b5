import GRDB

/// `casetrack search` on a PostgreSQL register, which has no FTS5 index: each case's document
/// is built as schema.sql's `case_search_text` builds it, words are found anywhere in it
/// (inside longer words too, Latin letters without regard to case), and cases are ranked by
/// the same bm25 formula as SQLite's FTS5 (k1 = 1.2, b = 0.75) over trigram counts (a text of
/// n characters holds n - 2), so that a word of three characters or more ranks as on a file; a
/// two-character word, which FTS5 scores as the trigrams it begins, may rank its cases in
/// another order. Every search reads every case's text: a scan, not
/// an index lookup.
enum ServerSearch {
    /// One row per case: its id and its searchable text, lowercased.
    static let documents = """
        SELECT c.id AS id, lower(
            coalesce(c.name || E'\\n', '') || c.code || E'\\n' || coalesce(c.note || E'\\n', '') || coalesce(c.source || E'\\n', '')
            || coalesce((SELECT string_agg(coalesce(g.name || E'\\n', '') || coalesce(g.note || E'\\n', ''), '' ORDER BY g.id)
                         FROM gangs g WHERE g.case_id = c.id), '')
            || coalesce((SELECT string_agg(coalesce(l.name || E'\\n', '') || coalesce(l.note || E'\\n', ''), '' ORDER BY l.id)
                         FROM links l WHERE l.case_id = c.id), '')) AS text
        FROM cases c
        """

    /// The condition that `text` (a document's) holds every wanted word and no excluded one.
    static func matching(_ query: SearchQuery, text: String) -> (sql: String, arguments: [DatabaseValue]) {
        let wanted = query.wanted.map { _ in "strpos(\(text), ?) > 0" }
        let excluded = query.excludedWords.map { _ in "strpos(\(text), ?) = 0" }
        return (
            (wanted + excluded).joined(separator: " AND "),
            (query.wanted + query.excludedWords).map { $0.lowercased().databaseValue })
    }

    /// A condition on `caseId` for `case list --search`.
    static func filter(_ query: SearchQuery, caseId: String) -> (sql: String, arguments: [DatabaseValue]) {
        let match = matching(query, text: "s.text")
        return ("\(caseId) IN (SELECT s.id FROM (\(documents)) AS s WHERE \(match.sql))", match.arguments)
    }

    /// The ranked search: `SELECT id, score`, best first (lowest score), ties by id, within
    /// `conditions` (over `cases AS c`), at most `limit`; and the count of all matches.
    static func ranked(
        _ query: SearchQuery, conditions: [String], arguments filterArguments: [DatabaseValue], limit: Int
    ) -> (ranked: String, rankedArguments: [DatabaseValue], count: String, countArguments: [DatabaseValue]) {
        let words = query.wanted.map { $0.lowercased() }
        let match = matching(query, text: "d.text")
        let stats = "SELECT count(*) AS n, greatest(avg(length(text) - 2), 1) AS avgdl"
            + words.indices.map { ", count(*) FILTER (WHERE strpos(text, ?) > 0) AS n\($0)" }.joined()
            + " FROM docs"
        // FTS5's bm25: idf × tf × (k1 + 1) / (tf + k1 × (1 − b + b × length / average length)).
        let terms = words.indices.map { index in
            let tf = "(CAST(length(d.text) - length(replace(d.text, ?, '')) AS float8) / ?)"
            return "greatest(ln((stats.n - stats.n\(index) + 0.5) / (stats.n\(index) + 0.5)), 1e-6) * \(tf) * 2.2"
                + " / (\(tf) + 1.2 * (0.25 + 0.75 * (length(d.text) - 2) / stats.avgdl))"
        }
        let termArguments = words.flatMap { word -> [DatabaseValue] in
            let pair = [word.databaseValue, word.unicodeScalars.count.databaseValue]
            return pair + pair
        }
        let from = "FROM docs d JOIN cases c ON c.id = d.id WHERE " + ([match.sql] + conditions).joined(separator: " AND ")
        let ranked = "WITH docs AS (\(documents)), stats AS (\(stats)) SELECT d.id AS id, -(\(terms.joined(separator: " + "))) AS score "
            + from.replacingOccurrences(of: "FROM docs d", with: "FROM docs d CROSS JOIN stats", options: .anchored)
            + " ORDER BY score, d.id LIMIT ?"
        return (
            ranked, words.map(\.databaseValue) + termArguments + match.arguments + filterArguments + [limit.databaseValue],
            "WITH docs AS (\(documents)) SELECT count(*) \(from)", match.arguments + filterArguments)
    }
}
