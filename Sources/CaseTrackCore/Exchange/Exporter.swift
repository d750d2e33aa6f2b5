import GRDB

extension CaseStore {
    /// Writes every case matching `filter` as import documents (or CSV rows), one case at a
    /// time through `write`, so that an export of any size runs in flat memory. Importing the
    /// output into an empty database and exporting again gives the same text.
    ///
    /// - Parameter forSpreadsheets: CSV for Excel and WPS: Chinese headers, and a cell that a
    ///   spreadsheet would run as a formula (beginning with = + - @, a tab or a carriage return)
    ///   is prefixed with ' (OWASP's advice against CSV injection). Plain CSV for scripts stays exact.
    public func exportDocuments(
        matching filter: CaseFilter, format: ExchangeFormat, forSpreadsheets: Bool = false, write: (String) throws -> Void
    ) throws {
        try readSession { db in
            let resolved = try ResolvedFilter(filter, db)
            let (conditions, arguments) = resolved.conditions(yearColumn: "c.year")
            let cursor = try SummaryCursor(db, sql: CaseSummary.query(conditions: conditions), arguments: arguments)
            var first = true
            switch format {
            case .csv:
                try write(CSVLayout.encode([forSpreadsheets ? CSVLayout.chineseColumns : CSVLayout.columns]))
                var batch: [[String]] = []
                while let summary = try cursor.next() {
                    var cells = CSVLayout.row(summary)
                    if forSpreadsheets {
                        cells = cells.map(CSVLayout.defused)
                        cells[1] = CSVLayout.protectedCode(summary.record.code)
                    }
                    batch.append(cells)
                    if batch.count == 1000 {
                        try write(CSVLayout.encode(batch))
                        batch.removeAll(keepingCapacity: true)
                    }
                }
                if !batch.isEmpty { try write(CSVLayout.encode(batch)) }
            case .json, .jsonl:
                if format == .json { try write("[") }
                while let summary = try cursor.next() {
                    let line = try Self.document(for: summary, db).jsonLine
                    if format == .json {
                        try write((first ? "\n" : ",\n") + line)
                    } else {
                        try write(line + "\n")
                    }
                    first = false
                }
                if format == .json { try write(first ? "]\n" : "\n]\n") }
            }
        }
    }

    static func document(for summary: CaseSummary, _ db: some SQLSession) throws -> CaseDocument {
        let r = summary.record
        let id = r.id ?? 0
        // An export states every field and every kind of result, so that importing it back
        // restores the case exactly.
        var document = CaseDocument(city: summary.city, code: r.code, year: r.year)
        document.opened = Stated(r.opened)
        document.closed = Stated(r.closed)
        document.category = Stated(r.category)
        document.name = Stated(r.name)
        document.status = Stated(r.status.rawValue)
        document.source = Stated(r.source)
        document.note = Stated(r.note)
        document.arrests = []
        document.gangs = []
        document.links = []
        for row in try db.rows("SELECT count, phase, date, note FROM arrests WHERE case_id = ? ORDER BY id", [id.databaseValue]) {
            document.arrests?.append(.init(count: row["count"], phase: row["phase"], date: row["date"], note: row["note"]))
        }
        for row in try db.rows("SELECT count, name, members, date, note FROM gangs WHERE case_id = ? ORDER BY id", [id.databaseValue]) {
            document.gangs?.append(.init(count: row["count"], name: row["name"], members: row["members"], date: row["date"], note: row["note"]))
        }
        for row in try db.rows("SELECT count, type, name, date, note FROM links WHERE case_id = ? ORDER BY id", [id.databaseValue]) {
            document.links?.append(.init(count: row["count"], type: row["type"], name: row["name"], date: row["date"], note: row["note"]))
        }
        return document
    }
}

/// Case summaries one at a time, in flat memory: an SQLite cursor, or pages of a server-side
/// cursor.
final class SummaryCursor {
    private var file: RowCursor?
    private let server: (any SQLSession)?
    private var page: [Row] = []
    private var done = false

    init(_ db: some SQLSession, sql: String, arguments: [DatabaseValue]) throws {
        if let db = db as? Database {
            file = try Row.fetchCursor(db, sql: sql, arguments: .values(arguments))
            server = nil
        } else {
            server = db
            try db.execute("DECLARE casetrack_summaries NO SCROLL CURSOR FOR " + sql, arguments)
        }
    }

    func next() throws -> CaseSummary? {
        if let file { return try file.next().map(CaseSummary.init(row:)) }
        guard let server else { return nil }
        if page.isEmpty && !done {
            page = try server.rows("FETCH 1000 FROM casetrack_summaries", []).reversed()
            if page.isEmpty {
                done = true
                try server.execute("CLOSE casetrack_summaries", [])
            }
        }
        return try page.popLast().map { try CaseSummary.read($0, byName: true) }
    }
}
