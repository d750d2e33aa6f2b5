import GRDB

extension CaseStore {
    // MARK: - Finding cases

    /// Finds the one case a reference names; an ambiguous reference lists the candidates.
    static func findCase(_ reference: CaseReference, _ db: some SQLSession) throws -> Case {
        switch reference {
        case let .id(id):
            guard let row = try db.row("SELECT * FROM cases WHERE id = ?" + db.lockForWrite, [id.databaseValue]) else {
                throw CaseTrackError.caseNotFound("#\(id)")
            }
            return try Case(row: row)
        case let .key(cityText, code, year):
            let city = try resolveCity(cityText, db)
            var sql = "SELECT * FROM cases WHERE city = ? AND code = ?"
            var arguments = [city.code.databaseValue, code.databaseValue]
            if let year {
                sql += " AND year = ?"
                arguments.append(year.databaseValue)
            }
            let matches = try db.rows(sql + " ORDER BY year" + db.lockForWrite, arguments).map(Case.init(row:))
            let label = CaseLabel.format(city: city.shortName, code: code, year: year)
            switch matches.count {
            case 0: throw CaseTrackError.caseNotFound(label)
            case 1: return matches[0]
            default:
                throw CaseTrackError.ambiguousReference(
                    label,
                    candidates: matches.map { CaseLabel.reference(city: city.shortName, code: $0.code, year: $0.year) })
            }
        case let .runTogether(text, year):
            return try findCase(splitting: text, year: year, db)
        }
    }

    /// 汉川6406: every known name of a division that starts the text, longest first, with the rest
    /// as the code; the one reading that names an existing case wins.
    static func findCase(splitting text: String, year: Int?, _ db: some SQLSession) throws -> Case {
        let names = try db.values(
            String.self, "SELECT short_name FROM cities UNION SELECT full_name FROM cities UNION SELECT alias FROM city_aliases")
        let readings = names.filter { text.hasPrefix($0) && text.count > $0.count }.sorted { $0.count > $1.count }
            .compactMap { name -> CaseReference? in
                guard let code = try? CaseCode.normalise(String(text.dropFirst(name.count))) else { return nil }
                return .key(city: name, code: code, year: year)
            }
        var found: [Case] = []
        for reading in readings {
            do {
                let match = try findCase(reading, db)
                if !found.contains(where: { $0.id == match.id }) { found.append(match) }
            } catch CaseTrackError.caseNotFound {
                continue
            }
        }
        if found.count == 1 { return found[0] }
        let shown = readings.first.map { ref -> String in
            if case let .key(city, code, year) = ref { return "\(city)/\(code)" + (year.map { "@\($0)" } ?? "") }
            return text
        }
        if found.isEmpty {
            throw CaseTrackError.caseNotFound(shown.map { "\($0) (read from '\(text)')" } ?? "'\(text)' (no division's name starts it; write CITY/CODE, such as 汉川/6406)")
        }
        throw CaseTrackError.ambiguousReference(text, candidates: try found.map { found in
            let city = try db.value(String.self, "SELECT short_name FROM cities WHERE code = ?", [found.city.databaseValue]) ?? found.city
            return CaseLabel.reference(city: city, code: found.code, year: found.year)
        })
    }

    static func summary(of id: Int64, _ db: some SQLSession) throws -> CaseSummary {
        let sql = CaseSummary.query(conditions: ["c.id = ?"], orderedBy: nil)
        guard let row = try db.row(sql, [id.databaseValue]) else {
            throw CaseTrackError.caseNotFound("#\(id)")
        }
        return try CaseSummary.read(row, byName: db.isServer)
    }

    /// The case a reference names, with its totals.
    public func findCase(_ reference: CaseReference) throws -> CaseSummary {
        try readSession { db in try Self.summary(of: Self.findCase(reference, db).id ?? 0, db) }
    }

    /// The case a reference names, with every result row.
    public func caseDetail(_ reference: CaseReference) throws -> CaseDetail {
        try readSession { db in
            let found = try Self.findCase(reference, db)
            let id = found.id ?? 0
            let summary = try Self.summary(of: id, db)
            let rows = { (table: String) in try db.rows("SELECT * FROM \(table) WHERE case_id = ? ORDER BY id", [id.databaseValue]) }
            return CaseDetail(
                summary: summary,
                cityFullName: try db.value(String.self, "SELECT full_name FROM cities WHERE code = ?", [found.city.databaseValue]) ?? summary.city,
                arrests: try rows("arrests").map(Arrest.init(row:)),
                gangs: try rows("gangs").map(Gang.init(row:)),
                links: try rows("links").map(ChainLink.init(row:)),
                lastChange: try Self.lastChange(ofCase: id, db))
        }
    }

    /// Cases matching a filter, by year, city (GB/T 2260 order) and code, with their totals.
    public func cases(matching filter: CaseFilter) throws -> [CaseSummary] {
        try readSession { db in
            let resolved = try ResolvedFilter(filter, db)
            let (conditions, arguments) = resolved.conditions(yearColumn: "c.year")
            return try db.rows(CaseSummary.query(conditions: conditions), arguments)
                .map { try CaseSummary.read($0, byName: db.isServer) }
        }
    }

    // MARK: - Changing cases

    /// Registers a new case. Fails, naming the existing case, when its city, code and year are taken.
    @discardableResult
    public func addCase(_ fields: CaseFields) throws -> CaseSummary {
        try writeSession { db in
            let record = try Self.apply(fields, to: nil, db)
            try Self.ensureUnique(record, db)
            let id = try CaseRows.insert(record, db)
            return try Self.summary(of: id, db)
        }
    }

    /// What `case edit` did: the case as it now is, and the fields that changed (none when the
    /// edit stated what the case already held).
    public struct EditOutcome: Sendable {
        public var summary: CaseSummary
        public var changes: [FieldChange]
    }

    /// Changes the given fields of a case.
    @discardableResult
    public func editCase(_ reference: CaseReference, _ fields: CaseFields) throws -> EditOutcome {
        guard !fields.isEmpty else { throw CaseTrackError.input("nothing to change: give at least one field to change") }
        return try writeSession { db in
            let existing = try Self.findCase(reference, db)
            let record = try Self.apply(fields, to: existing, db)
            try Self.ensureUnique(record, db)
            // An edit that states what the case already holds writes nothing (and so leaves no
            // empty change set to become the next undo's target).
            var changes = Self.fieldChanges(from: existing, to: record)
            if changes.isEmpty {
                return EditOutcome(summary: try Self.summary(of: existing.id ?? 0, db), changes: [])
            }
            try CaseRows.update(record, db)
            // Divisions are shown by name, as people typed them.
            for index in changes.indices where changes[index].field == "city" {
                changes[index].before = try changes[index].before.map { try Self.resolveCity($0, db).shortName }
                changes[index].after = try changes[index].after.map { try Self.resolveCity($0, db).shortName }
            }
            return EditOutcome(summary: try Self.summary(of: existing.id ?? 0, db), changes: changes)
        }
    }

    /// Deletes a case and all its results; returns what was removed.
    @discardableResult
    public func removeCase(_ reference: CaseReference) throws -> CaseSummary {
        try writeSession { db in
            let existing = try Self.findCase(reference, db)
            let summary = try Self.summary(of: existing.id ?? 0, db)
            try db.execute("DELETE FROM cases WHERE id = ?", [existing.id.databaseValue])
            return summary
        }
    }

    static func ensureUnique(_ record: Case, _ db: some SQLSession) throws {
        let clash = try db.row(
            "SELECT * FROM cases WHERE city = ? AND code = ? AND year = ? AND id <> ?",
            [record.city.databaseValue, record.code.databaseValue, record.year.databaseValue, (record.id ?? -1).databaseValue]
        ).map(Case.init(row:))
        if let clash, let id = clash.id {
            let name = try db.value(String.self, "SELECT short_name FROM cities WHERE code = ?", [clash.city.databaseValue]) ?? clash.city
            throw CaseTrackError.duplicateCase(existing: CaseLabel.format(city: name, code: clash.code, year: clash.year), id: id)
        }
    }
}
