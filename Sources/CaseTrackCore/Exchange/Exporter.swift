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
        try read { db in
            let resolved = try ResolvedFilter(filter, db)
            let (conditions, arguments) = resolved.conditions(yearColumn: "c.year")
            let cursor = try Row.fetchCursor(db, sql: CaseSummary.query(conditions: conditions), arguments: arguments)
            var first = true
            switch format {
            case .csv:
                try write(try CSVLayout.encode([forSpreadsheets ? CSVLayout.chineseColumns : CSVLayout.columns]))
                var batch: [[String]] = []
                while let row = try cursor.next() {
                    let summary = try CaseSummary(row: row)
                    var cells = CSVLayout.row(summary)
                    if forSpreadsheets {
                        cells = cells.map(CSVLayout.defused)
                        cells[1] = CSVLayout.protectedCode(summary.record.code)
                    }
                    batch.append(cells)
                    if batch.count == 1000 {
                        try write(try CSVLayout.encode(batch))
                        batch.removeAll(keepingCapacity: true)
                    }
                }
                if !batch.isEmpty { try write(try CSVLayout.encode(batch)) }
            case .json, .jsonl:
                if format == .json { try write("[") }
                while let row = try cursor.next() {
                    let line = try Self.document(for: try CaseSummary(row: row), db).jsonLine
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

    static func document(for summary: CaseSummary, _ db: Database) throws -> CaseDocument {
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
        let arrests = try Row.fetchCursor(
            db.cachedStatement(sql: "SELECT count, phase, date, note FROM arrests WHERE case_id = ? ORDER BY id"), arguments: [id])
        while let row = try arrests.next() {
            document.arrests?.append(.init(count: row[0], phase: row[1], date: row[2], note: row[3]))
        }
        let gangs = try Row.fetchCursor(
            db.cachedStatement(sql: "SELECT count, name, members, date, note FROM gangs WHERE case_id = ? ORDER BY id"), arguments: [id])
        while let row = try gangs.next() {
            document.gangs?.append(.init(count: row[0], name: row[1], members: row[2], date: row[3], note: row[4]))
        }
        let links = try Row.fetchCursor(
            db.cachedStatement(sql: "SELECT count, type, name, date, note FROM links WHERE case_id = ? ORDER BY id"), arguments: [id])
        while let row = try links.next() {
            document.links?.append(.init(count: row[0], type: row[1], name: row[2], date: row[3], note: row[4]))
        }
        return document
    }
}
