import GRDB

extension CaseStore {
    /// One result row as people read it ("gang #4: 5 (跑分团伙, 14 members, 2023-05) of
    /// 襄阳"1.13"@2023"), for confirmations and messages.
    public func describeResult(_ kind: ResultKind, id: Int64) throws -> String {
        try readSession { db in try Self.describe(kind, id: id, db) }
    }

    static func describe(_ kind: ResultKind, id: Int64, _ db: some SQLSession) throws -> String {
        guard let row = try db.row("SELECT * FROM \(kind.table) WHERE id = ?", [id.databaseValue]) else {
            throw CaseTrackError.resultNotFound(kind: kind.rawValue, id: id)
        }
        let described: String
        let caseId: Int64
        switch kind {
        case .arrest:
            let record = try Arrest(row: row)
            (described, caseId) = (record.described, record.caseId)
        case .gang:
            let record = try Gang(row: row)
            (described, caseId) = (record.described, record.caseId)
        case .link:
            let record = try ChainLink(row: row)
            (described, caseId) = (record.described, record.caseId)
        }
        guard let owner = try db.row("SELECT * FROM cases WHERE id = ?", [caseId.databaseValue]).map(Case.init(row:)) else { return described }
        return "\(described) of \(try label(of: owner, db))"
    }

    /// Changes the stated fields of one result row, by the same rules as adding one. An edit
    /// that states what the row already holds writes nothing.
    @discardableResult
    public func editResult(_ kind: ResultKind, id: Int64, _ edit: ResultEdit) throws -> ResultEditOutcome {
        guard !edit.isEmpty else { throw CaseTrackError.input("nothing to change: give at least one field to change") }
        let count = try edit.count.map { try ResultCount.parse($0) }
        let phase = try edit.phase.map { try ArrestPhase(parsing: $0).rawValue }
        let date = try edit.date.map { $0.isEmpty ? nil : try PartialDate(recorded: $0).description }
        let note = try edit.note.map { try FreeText.validate($0, field: "note", maxLength: TextLimits.note) }
        let name = try edit.name.map { try FreeText.validate($0, field: "name", maxLength: TextLimits.name) }
        let members = try edit.members.map { $0.isEmpty ? nil : try ResultCount.parse($0, field: "members") }
        return try writeSession { db in
            guard let before = try db.row("SELECT * FROM \(kind.table) WHERE id = ?" + db.lockForWrite, [id.databaseValue]) else {
                throw CaseTrackError.resultNotFound(kind: kind.rawValue, id: id)
            }
            var stated: [(String, DatabaseValue)] = []
            if let count { stated.append(("count", count.databaseValue)) }
            if let date { stated.append(("date", date.databaseValue)) }
            if let note { stated.append(("note", note.databaseValue)) }
            func only(_ field: String, _ kinds: [ResultKind]) throws {
                guard kinds.contains(kind) else {
                    throw CaseTrackError.input("\(kind.rawValue) rows have no \(field); it belongs to \(kinds.map(\.rawValue).joined(separator: " and ")) rows")
                }
            }
            if let phase { try only("phase", [.arrest]); stated.append(("phase", phase.databaseValue)) }
            if let name { try only("name", [.gang, .link]); stated.append(("name", name.databaseValue)) }
            if let members { try only("members", [.gang]); stated.append(("members", members.databaseValue)) }
            if let typeText = edit.type {
                try only("type", [.link])
                let type = typeText.isEmpty ? nil : try Self.resolve(typeText, in: .linkType, db)
                stated.append(("type", type.databaseValue))
            }
            let changed = stated.filter { before[$0.0] as DatabaseValue != $0.1 }
            let caseId: Int64 = before["case_id"]
            let owner = try db.row("SELECT * FROM cases WHERE id = ?", [caseId.databaseValue]).map(Case.init(row:))
            let caseLabel = try owner.map { try Self.label(of: $0, db) } ?? "#\(caseId)"
            guard !changed.isEmpty else { return ResultEditOutcome(caseLabel: caseLabel, changes: [], warnings: []) }
            try db.execute(
                "UPDATE \(kind.table) SET " + changed.map { "\($0.0) = ?" }.joined(separator: ", ") + " WHERE id = ?",
                changed.map(\.1) + [id.databaseValue])
            var warnings: [String] = []
            if let date = date ?? nil, let opened = owner?.opened, let when = try? PartialDate(parsing: date),
                let start = try? PartialDate(parsing: opened), when.isBefore(start)
            {
                warnings.append("the date \(date) is before the case was opened (\(opened)); recorded as given")
            }
            let changes = changed.map { field, value in
                FieldChange(field: field, before: Self.text(before[field] as DatabaseValue), after: Self.text(value))
            }
            return ResultEditOutcome(caseLabel: caseLabel, changes: changes, warnings: warnings)
        }
    }

    private static func text(_ value: DatabaseValue) -> String? {
        switch value.storage {
        case .null: return nil
        case let .int64(n): return String(n)
        case let .string(s): return s
        case let .double(d): return String(d)
        case .blob: return "(blob)"
        }
    }
}
