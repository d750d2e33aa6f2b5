import GRDB

extension CaseStore {
    // MARK: - Adding results

    /// Records a batch of arrests in a case.
    @discardableResult
    public func addArrest(to reference: CaseReference, _ fields: ArrestFields) throws -> CaseResult<Arrest> {
        let count = try ResultCount.parse(fields.count)
        let phase = try fields.phase.map(ArrestPhase.init(parsing:)) ?? .initial
        let date = try fields.date.map { try PartialDate(recorded: $0).description }
        let note = try FreeText.validate(fields.note, field: "note", maxLength: TextLimits.note)
        return try writeSession { db in
            let owner = try Self.findCase(reference, db)
            var arrest = Arrest(caseId: owner.id ?? 0, count: count, phase: phase, date: date, note: note)
            arrest.id = try ResultRows.insert(arrest, db)
            return try Self.added(arrest, to: owner, date: date, db)
        }
    }

    /// Records dismantled gangs in a case.
    @discardableResult
    public func addGang(to reference: CaseReference, _ fields: GangFields) throws -> CaseResult<Gang> {
        let count = try fields.count.map { try ResultCount.parse($0) } ?? 1
        let members = try fields.members.map { try ResultCount.parse($0, field: "members") }
        let date = try fields.date.map { try PartialDate(recorded: $0).description }
        let name = try FreeText.validate(fields.name, field: "name", maxLength: TextLimits.name)
        let note = try FreeText.validate(fields.note, field: "note", maxLength: TextLimits.note)
        return try writeSession { db in
            let owner = try Self.findCase(reference, db)
            var gang = Gang(caseId: owner.id ?? 0, count: count, name: name, members: members, date: date, note: note)
            gang.id = try ResultRows.insert(gang, db)
            return try Self.added(gang, to: owner, date: date, db)
        }
    }

    /// Records destroyed chain links in a case.
    @discardableResult
    public func addLink(to reference: CaseReference, _ fields: LinkFields) throws -> CaseResult<ChainLink> {
        let count = try fields.count.map { try ResultCount.parse($0) } ?? 1
        let date = try fields.date.map { try PartialDate(recorded: $0).description }
        let name = try FreeText.validate(fields.name, field: "name", maxLength: TextLimits.name)
        let note = try FreeText.validate(fields.note, field: "note", maxLength: TextLimits.note)
        return try writeSession { db in
            let owner = try Self.findCase(reference, db)
            let type = try fields.type.flatMap { $0.isEmpty ? nil : try Self.resolve($0, in: .linkType, db) }
            var link = ChainLink(caseId: owner.id ?? 0, count: count, type: type, name: name, date: date, note: note)
            link.id = try ResultRows.insert(link, db)
            return try Self.added(link, to: owner, date: date, db)
        }
    }

    // MARK: - Listing and removing results

    public func arrests(of reference: CaseReference?) throws -> [CaseResult<Arrest>] {
        try readSession { db in try Self.results(Arrest.self, of: reference, db) }
    }

    public func gangs(of reference: CaseReference?) throws -> [CaseResult<Gang>] {
        try readSession { db in try Self.results(Gang.self, of: reference, db) }
    }

    public func links(of reference: CaseReference?) throws -> [CaseResult<ChainLink>] {
        try readSession { db in try Self.results(ChainLink.self, of: reference, db) }
    }

    /// Deletes one result row by its id; returns the row removed.
    @discardableResult
    public func removeResult(_ kind: ResultKind, id: Int64) throws -> Row {
        try writeSession { db in
            guard let row = try db.row("SELECT * FROM \(kind.table) WHERE id = ?" + db.lockForWrite, [id.databaseValue]) else {
                throw CaseTrackError.resultNotFound(kind: kind.rawValue, id: id)
            }
            try db.execute("DELETE FROM \(kind.table) WHERE id = ?", [id.databaseValue])
            return row
        }
    }

    static func results<R: FetchableRecord & TableRecord & Sendable>(
        _ type: R.Type, of reference: CaseReference?, _ db: some SQLSession
    ) throws -> [CaseResult<R>] {
        // A code reused in several years is named with its year, so that rows can be told apart.
        var sql = """
            SELECT r.*, ci.short_name AS city_name, c.code AS case_code, c.year AS case_year,
                   EXISTS (SELECT 1 FROM cases o WHERE o.city = c.city AND o.code = c.code AND o.id <> c.id) AS reused
            FROM \(R.databaseTableName) r JOIN cases c ON c.id = r.case_id JOIN cities ci ON ci.code = c.city
            """
        var arguments: [DatabaseValue] = []
        if let reference {
            sql += " WHERE r.case_id = ?"
            arguments = [try findCase(reference, db).id.databaseValue]
        }
        sql += " ORDER BY r.id"
        return try db.rows(sql, arguments).map { row in
            let year: Int = row["case_year"]
            let reused: Bool = row["reused"]
            return CaseResult(
                caseLabel: CaseLabel.format(city: row["city_name"], code: row["case_code"], year: reused ? year : nil),
                caseId: row["case_id"], year: year, record: try R(row: row))
        }
    }

    /// The row just added, with its case's label and a warning when it is dated before the
    /// case was opened (arrests before 立案 happen, so it is allowed, but worth a second look).
    static func added<R: Sendable>(_ record: R, to owner: Case, date: String?, _ db: some SQLSession) throws -> CaseResult<R> {
        var warnings: [String] = []
        if let date, let opened = owner.opened,
            let when = try? PartialDate(parsing: date), let start = try? PartialDate(parsing: opened), when.isBefore(start)
        {
            warnings.append("the date \(date) is before the case was opened (\(opened)); recorded as given")
        }
        return CaseResult(caseLabel: try label(of: owner, db), caseId: owner.id ?? 0, year: owner.year, record: record, warnings: warnings)
    }

    static func label(of record: Case, _ db: some SQLSession) throws -> String {
        let name = try db.value(String.self, "SELECT short_name FROM cities WHERE code = ?", [record.city.databaseValue]) ?? record.city
        let reused = try db.value(
            Bool.self, "SELECT EXISTS (SELECT 1 FROM cases WHERE city = ? AND code = ? AND id <> ?)",
            [record.city.databaseValue, record.code.databaseValue, record.id.databaseValue]) ?? false
        return CaseLabel.format(city: name, code: record.code, year: reused ? record.year : nil)
    }
}
