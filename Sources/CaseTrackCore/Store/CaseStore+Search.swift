import GRDB

/// One case found by `casetrack search`, in rank order.
public struct SearchHit: Sendable {
    public var summary: CaseSummary
    /// The reference `case show` takes: 襄阳"1.13", with @YEAR when the city used the code in
    /// several years.
    public var reference: String
    /// SQLite's bm25 score: lower is a better match.
    public var score: Double
    /// The case's searchable text, field by field (name, code, note, source, then each gang's
    /// and link's name and note), for the snippet.
    public var texts: [(field: String, text: String)]
}

/// The ranked cases of a search, and how many matched in all.
public struct SearchResult: Sendable {
    public var hits: [SearchHit]
    public var total: Int
}

extension CaseStore {
    /// The cases whose text holds every wanted word and no excluded one, best match first
    /// (bm25, ties by id), within the filter; at most `limit` of them.
    public func search(_ query: SearchQuery, filter: CaseFilter = CaseFilter(), limit: Int) throws -> SearchResult {
        if server != nil {
            return try readSession { db in
                let resolved = try ResolvedFilter(filter, db)
                let (conditions, filterArguments) = resolved.conditions(yearColumn: "c.year")
                let sql = ServerSearch.ranked(query, conditions: conditions, arguments: filterArguments, limit: limit)
                let ranked = try db.rows(sql.ranked, sql.rankedArguments).map { (id: $0["id"] as Int64, score: $0["score"] as Double) }
                var total = ranked.count
                if ranked.count == limit { total = try db.value(Int.self, sql.count, sql.countArguments) ?? total }
                return SearchResult(hits: try Self.hits(ranked, db), total: total)
            }
        }
        return try read { db in
            let resolved = try ResolvedFilter(filter, db)
            guard let match = try Self.searchExpression(query, db) else { return SearchResult(hits: [], total: 0) }
            let (conditions, filterArguments) = resolved.conditions(yearColumn: "c.year")
            let from = """
                FROM case_search JOIN cases c ON c.id = case_search.rowid
                WHERE \((["case_search MATCH ?"] + conditions).joined(separator: " AND "))
                """
            var arguments: StatementArguments = [match]
            arguments += StatementArguments(filterArguments)
            var ranked: [(Int64, Double)] = []
            for row in try Row.fetchAll(
                db, sql: "SELECT c.id, bm25(case_search) AS score \(from) ORDER BY score, c.id LIMIT ?",
                arguments: arguments + [limit])
            {
                ranked.append((row[0], row[1]))
            }
            var total = ranked.count
            if ranked.count == limit {
                total = try Int.fetchOne(db, sql: "SELECT count(*) \(from)", arguments: arguments) ?? total
            }
            let hits = try Self.hits(ranked, db)
            return SearchResult(hits: hits, total: total)
        }
    }

    /// The FTS5 query for `query`, or nil when a wanted word cannot match.
    static func searchExpression(_ query: SearchQuery, _ db: Database) throws -> String? {
        try SearchExpression.build(query) { prefix in
            try String.fetchAll(
                db, sql: "SELECT term FROM case_search_terms WHERE term >= ? AND term < ? ORDER BY term",
                arguments: [prefix, prefix + "\u{10FFFF}"])
        }
    }

    static func hits(_ ranked: [(id: Int64, score: Double)], _ db: some SQLSession) throws -> [SearchHit] {
        guard !ranked.isEmpty else { return [] }
        let ids = ranked.map { String($0.id) }.joined(separator: ", ")
        var summaries: [Int64: CaseSummary] = [:]
        for row in try db.rows(CaseSummary.query(conditions: ["c.id IN (\(ids))"], orderedBy: nil), []) {
            let summary = try CaseSummary.read(row, byName: db.isServer)
            summaries[summary.id] = summary
        }
        let reused = Set(try db.values(Int64.self, """
            SELECT c.id FROM cases c WHERE c.id IN (\(ids))
            AND EXISTS (SELECT 1 FROM cases o WHERE o.city = c.city AND o.code = c.code AND o.id <> c.id)
            """))
        var results: [Int64: [(field: String, text: String)]] = [:]
        for (table, label) in [("gangs", "gang"), ("links", "link")] {
            for row in try db.rows("""
                SELECT case_id, name, note FROM \(table) WHERE case_id IN (\(ids)) AND (name IS NOT NULL OR note IS NOT NULL)
                ORDER BY id
                """, [])
            {
                let id: Int64 = row["case_id"]
                if let name: String = row["name"] { results[id, default: []].append((label, name)) }
                if let note: String = row["note"] { results[id, default: []].append((label + " note", note)) }
            }
        }
        return ranked.compactMap { id, score in
            guard let summary = summaries[id] else { return nil }
            let record = summary.record
            var texts: [(field: String, text: String)] = []
            if let name = record.name { texts.append(("name", name)) }
            texts.append(("code", record.code))
            if let note = record.note { texts.append(("note", note)) }
            if let source = record.source { texts.append(("source", source)) }
            let links = results[id] ?? []
            texts += links.filter { $0.field.hasPrefix("gang") } + links.filter { $0.field.hasPrefix("link") }
            return SearchHit(
                summary: summary,
                reference: CaseLabel.format(city: summary.city, code: record.code, year: reused.contains(id) ? record.year : nil),
                score: score, texts: texts)
        }
    }

    /// Problems of the search index that only FTS5 can see: an entry whose words differ from
    /// the case's text. (Whether every case has an entry is one of `check`'s invariants.)
    func searchIndexProblems() throws -> [String] {
        do {
            // The check is an INSERT that writes nothing; it cannot run in a read-only transaction.
            return try dbQueue.writeWithoutTransaction { db in try Self.searchIndexProblems(db) }
        } catch let error as DatabaseError {
            throw CaseTrackError.storage(Self.describe(error))
        }
    }

    /// The same inside a write transaction (`check --repair`).
    static func searchIndexProblems(_ db: Database) throws -> [String] {
        do {
            try db.execute(sql: "INSERT INTO case_search (case_search, rank) VALUES ('integrity-check', 1)")
            return []
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CORRUPT || error.resultCode == .SQLITE_CORRUPT_VTAB {
            return ["the search index differs from the cases' text (`casetrack check --repair` rebuilds it)"]
        }
    }
}
