import GRDB

extension CaseStore {
    // MARK: - Adding results

    /// Records a batch of arrests in a case.
    @discardableResult
    public func addArrest(to reference: CaseReference, _ fields: ArrestFields) throws -> CaseResult<Arrest> {
        let count = try ResultCount.parse(fields.count)
        let phase = try fields.phase.map(ArrestPhase.init(parsing:)) ?? .initial
        let date = try fields.date.map { try PartialDate(parsing: $0).description }
        let note = try FreeText.validate(fields.note, field: "note", maxLength: TextLimits.note)
        return try write { db in
            let owner = try Self.findCase(reference, db)
            var arrest = Arrest(caseId: owner.id ?? 0, count: count, phase: phase, date: date, note: note)
            try arrest.insert(db)
            return CaseResult(caseLabel: try Self.label(of: owner, db), record: arrest)
        }
    }

    /// Records dismantled gangs in a case.
    @discardableResult
    public func addGang(to reference: CaseReference, _ fields: GangFields) throws -> CaseResult<Gang> {
        let count = try fields.count.map { try ResultCount.parse($0) } ?? 1
        let members = try fields.members.map { try ResultCount.parse($0, field: "members") }
        let date = try fields.date.map { try PartialDate(parsing: $0).description }
        let name = try FreeText.validate(fields.name, field: "name", maxLength: TextLimits.name)
        let note = try FreeText.validate(fields.note, field: "note", maxLength: TextLimits.note)
        return try write { db in
            let owner = try Self.findCase(reference, db)
            var gang = Gang(caseId: owner.id ?? 0, count: count, name: name, members: members, date: date, note: note)
            try gang.insert(db)
            return CaseResult(caseLabel: try Self.label(of: owner, db), record: gang)
        }
    }

    /// Records destroyed chain links in a case.
    @discardableResult
    public func addLink(to reference: CaseReference, _ fields: LinkFields) throws -> CaseResult<ChainLink> {
        let count = try fields.count.map { try ResultCount.parse($0) } ?? 1
        let date = try fields.date.map { try PartialDate(parsing: $0).description }
        let name = try FreeText.validate(fields.name, field: "name", maxLength: TextLimits.name)
        let note = try FreeText.validate(fields.note, field: "note", maxLength: TextLimits.note)
        return try write { db in
            let owner = try Self.findCase(reference, db)
            let type = try fields.type.flatMap { $0.isEmpty ? nil : try Self.resolve($0, in: .linkType, db) }
            var link = ChainLink(caseId: owner.id ?? 0, count: count, type: type, name: name, date: date, note: note)
            try link.insert(db)
            return CaseResult(caseLabel: try Self.label(of: owner, db), record: link)
        }
    }

    // MARK: - Listing and removing results

    public func arrests(of reference: CaseReference?) throws -> [CaseResult<Arrest>] {
        try read { db in try Self.results(Arrest.self, of: reference, db) }
    }

    public func gangs(of reference: CaseReference?) throws -> [CaseResult<Gang>] {
        try read { db in try Self.results(Gang.self, of: reference, db) }
    }

    public func links(of reference: CaseReference?) throws -> [CaseResult<ChainLink>] {
        try read { db in try Self.results(ChainLink.self, of: reference, db) }
    }

    /// Deletes one result row by its id; returns the row removed.
    @discardableResult
    public func removeResult(_ kind: ResultKind, id: Int64) throws -> Row {
        try write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM \(kind.table) WHERE id = ?", arguments: [id]) else {
                throw CaseTrackError.resultNotFound(kind: kind.rawValue, id: id)
            }
            try db.execute(sql: "DELETE FROM \(kind.table) WHERE id = ?", arguments: [id])
            return row
        }
    }

    static func results<R: FetchableRecord & TableRecord & Sendable>(
        _ type: R.Type, of reference: CaseReference?, _ db: Database
    ) throws -> [CaseResult<R>] {
        var sql = """
            SELECT r.*, ci.short_name AS city_name, c.code AS case_code
            FROM \(R.databaseTableName) r JOIN cases c ON c.id = r.case_id JOIN cities ci ON ci.code = c.city
            """
        var arguments = StatementArguments()
        if let reference {
            sql += " WHERE r.case_id = ?"
            arguments = [try findCase(reference, db).id]
        }
        sql += " ORDER BY r.id"
        return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
            CaseResult(
                caseLabel: CaseLabel.format(city: row["city_name"], code: row["case_code"], year: nil),
                record: try R(row: row))
        }
    }

    static func label(of record: Case, _ db: Database) throws -> String {
        let name = try String.fetchOne(db, sql: "SELECT short_name FROM cities WHERE code = ?", arguments: [record.city]) ?? record.city
        return CaseLabel.format(city: name, code: record.code, year: nil)
    }
}
