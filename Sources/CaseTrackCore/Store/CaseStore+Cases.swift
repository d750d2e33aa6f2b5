import GRDB

extension CaseStore {
    // MARK: - Finding cases

    /// Finds the one case a reference names; an ambiguous reference lists the candidates.
    static func findCase(_ reference: CaseReference, _ db: Database) throws -> Case {
        switch reference {
        case let .id(id):
            guard let found = try Case.fetchOne(db, key: id) else { throw CaseTrackError.caseNotFound("#\(id)") }
            return found
        case let .key(cityText, code, year):
            let city = try resolveCity(cityText, db)
            var request = Case.filter(Case.Columns.city == city.code && Case.Columns.code == code)
            if let year { request = request.filter(Case.Columns.year == year) }
            let matches = try request.order(Case.Columns.year).fetchAll(db)
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
    static func findCase(splitting text: String, year: Int?, _ db: Database) throws -> Case {
        let names = try String.fetchAll(
            db, sql: "SELECT short_name FROM cities UNION SELECT full_name FROM cities UNION SELECT alias FROM city_aliases")
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
            let city = try String.fetchOne(db, sql: "SELECT short_name FROM cities WHERE code = ?", arguments: [found.city]) ?? found.city
            return CaseLabel.reference(city: city, code: found.code, year: found.year)
        })
    }

    static func summary(of id: Int64, _ db: Database) throws -> CaseSummary {
        let sql = CaseSummary.query(conditions: ["c.id = ?"], orderedBy: nil)
        guard let row = try Row.fetchOne(db, sql: sql, arguments: [id]) else {
            throw CaseTrackError.caseNotFound("#\(id)")
        }
        return try CaseSummary(row: row)
    }

    /// The case a reference names, with its totals.
    public func findCase(_ reference: CaseReference) throws -> CaseSummary {
        try read { db in try Self.summary(of: Self.findCase(reference, db).id ?? 0, db) }
    }

    /// The case a reference names, with every result row.
    public func caseDetail(_ reference: CaseReference) throws -> CaseDetail {
        try read { db in
            let found = try Self.findCase(reference, db)
            let id = found.id ?? 0
            let summary = try Self.summary(of: id, db)
            return CaseDetail(
                summary: summary,
                cityFullName: try String.fetchOne(db, sql: "SELECT full_name FROM cities WHERE code = ?", arguments: [found.city]) ?? summary.city,
                arrests: try Arrest.filter(Column("case_id") == id).order(Column("id")).fetchAll(db),
                gangs: try Gang.filter(Column("case_id") == id).order(Column("id")).fetchAll(db),
                links: try ChainLink.filter(Column("case_id") == id).order(Column("id")).fetchAll(db),
                lastChange: try Self.lastChange(ofCase: id, db))
        }
    }

    /// Cases matching a filter, by year, city (GB/T 2260 order) and code, with their totals.
    public func cases(matching filter: CaseFilter) throws -> [CaseSummary] {
        try read { db in
            let resolved = try ResolvedFilter(filter, db)
            let (conditions, arguments) = resolved.conditions(yearColumn: "c.year")
            return try Row.fetchAll(db, sql: CaseSummary.query(conditions: conditions), arguments: arguments)
                .map(CaseSummary.init(row:))
        }
    }

    // MARK: - Changing cases

    /// Registers a new case. Fails, naming the existing case, when its city, code and year are taken.
    @discardableResult
    public func addCase(_ fields: CaseFields) throws -> CaseSummary {
        try write { db in
            var record = try Self.apply(fields, to: nil, db)
            try Self.ensureUnique(record, db)
            try record.insert(db)
            return try Self.summary(of: record.id ?? 0, db)
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
        return try write { db in
            let existing = try Self.findCase(reference, db)
            let record = try Self.apply(fields, to: existing, db)
            try Self.ensureUnique(record, db)
            // An edit that states what the case already holds writes nothing (and so leaves no
            // empty change set to become the next undo's target).
            var changes = Self.fieldChanges(from: existing, to: record)
            if changes.isEmpty {
                return EditOutcome(summary: try Self.summary(of: existing.id ?? 0, db), changes: [])
            }
            try record.update(db)
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
        try write { db in
            let existing = try Self.findCase(reference, db)
            let summary = try Self.summary(of: existing.id ?? 0, db)
            _ = try existing.delete(db)
            return summary
        }
    }

    static func ensureUnique(_ record: Case, _ db: Database) throws {
        let clash = try Case.filter(
            Case.Columns.city == record.city && Case.Columns.code == record.code && Case.Columns.year == record.year
                && Case.Columns.id != (record.id ?? -1)
        ).fetchOne(db)
        if let clash, let id = clash.id {
            let name = try String.fetchOne(db, sql: "SELECT short_name FROM cities WHERE code = ?", arguments: [clash.city]) ?? clash.city
            throw CaseTrackError.duplicateCase(existing: CaseLabel.format(city: name, code: clash.code, year: clash.year), id: id)
        }
    }
}
