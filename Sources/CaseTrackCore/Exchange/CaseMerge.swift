import GRDB

/// What the merge of one import needs to carry from case to case.
struct MergeContext {
    /// The input's name, written into the note of rows an import adds for a figure.
    var file: String
    var policy: ConflictPolicy
    var addVocabulary: Bool
    var cache = VocabularyCache()
    var seen = SeenCases()
    var addedVocabulary: [String] = []
    /// The import's change set, written into every row it inserts.
    var changeSet: Int64?
    /// Result rows that differ from the register's are a conflict rather than a replacement
    /// (`copy`: two registers that both changed a case since they last met).
    var rowsConflict = false
    /// On a server: new cases and their rows, sent with COPY (see `ServerStaging`).
    var staging: ServerStaging?
}

extension CaseStore {
    /// Merges one prepared document into the register: the diff between what it states and
    /// what the register holds, written (unless it conflicts) and returned for people to read.
    static func merge(_ prepared: PreparedDocument, _ db: any SQLSession, context: inout MergeContext) throws -> CaseChange {
        var fields = prepared.fields
        let city = try field("city") { try resolveCity(prepared.city, db, cache: context.cache) }
        if let category = fields.category, !category.isEmpty {
            fields.category = try field("category") { try resolveOrAdd(category, in: .category, db, context: &context) }
        }
        let label = CaseLabel.format(city: city.shortName, code: prepared.code, year: prepared.year)
        if context.staging?.holds(city: city.code, code: prepared.code, year: prepared.year) == true {
            throw DocumentFieldError(path: "code", message: "case \(label) appears more than once in this file")
        }
        let key = [city.code.databaseValue, prepared.code.databaseValue, prepared.year.databaseValue]
        let existing: Case?
        if context.staging?.registerWasEmpty == true {
            existing = nil
        } else if let file = db as? Database {
            // Most cases of a large import are new: asked for the id first, a new one costs no row.
            existing = try file.cachedStatement(sql: "SELECT id FROM cases WHERE city = ? AND code = ? AND year = ?").firstInteger(key)
                .flatMap { try db.row("SELECT * FROM cases WHERE id = ?", [$0.databaseValue]).map(Case.init(row:)) }
        } else {
            existing = try db.row("SELECT * FROM cases WHERE city = ? AND code = ? AND year = ?" + db.lockForWrite, key).map(Case.init(row:))
        }
        if let id = existing?.id {
            if context.seen.contains(id) {
                throw DocumentFieldError(path: "code", message: "case \(label) appears more than once in this file")
            }
            context.seen.insert(id)
        }
        let record = try field("") { try apply(fields, to: existing, db, cache: context.cache) }
        var links = prepared.links
        if links != nil {
            for index in links!.indices {
                if let type = links![index].type {
                    links![index].type = try field("links[\(index)].type") { try resolveOrAdd(type, in: .linkType, db, context: &context) }
                }
            }
        }

        var change = CaseChange(action: existing == nil ? .create : .unchanged, label: label)
        change.fields = fieldChanges(from: existing, to: record)
        var plan = ResultPlan()
        let caseId = existing?.id
        try planRows(prepared.arrests, registered: caseId.map { try Arrest.rows(of: $0, db) }, context: context, plan: &plan, change: &change)
        try planRows(prepared.gangs, registered: caseId.map { try Gang.rows(of: $0, db) }, context: context, plan: &plan, change: &change)
        try planRows(links, registered: caseId.map { try ChainLink.rows(of: $0, db) }, context: context, plan: &plan, change: &change)
        if let figures = prepared.figures {
            try planFigures(figures, caseId: caseId, db, context: context, plan: &plan, change: &change)
        }
        if !change.conflicts.isEmpty { return change }
        if let opened = record.opened.flatMap({ try? PartialDate(parsing: $0) }) {
            // Only the rows this import writes: a case it leaves as it is records nothing.
            let dates = plan.inserts.compactMap(\.date)
            let early = Set(dates).sorted().filter { date in
                (try? PartialDate(parsing: date)).map { $0.isBefore(opened) } ?? false
            }
            if !early.isEmpty {
                let shown = early.prefix(3).joined(separator: ", ") + (early.count > 3 ? ", …" : "")
                change.warnings.append(
                    "\(early.count) result date\(early.count == 1 ? " is" : "s are") before the case was opened (\(opened)): \(shown); recorded as given")
            }
        }
        if existing != nil, !change.fields.isEmpty || !plan.isEmpty { change.action = .update }
        guard change.action != .unchanged else { return change }

        let id: Int64
        if let caseId {
            id = caseId
            if let db = db as? Database {
                try BulkWrite.writingOtherRows(db)
                try BulkWrite.touchExisting(id, db)
            }
            if !change.fields.isEmpty {
                try db.execute(
                    "UPDATE cases SET opened = ?, closed = ?, category = ?, name = ?, status = ?, source = ?, note = ? WHERE id = ?",
                    [record.opened, record.closed, record.category, record.name, record.status.rawValue, record.source, record.note]
                        .map(\.databaseValue) + [id.databaseValue])
            }
        } else if let staging = context.staging {
            // A new case on a server: sent with the others in one COPY.
            try staging.stage(record)
            for insertion in plan.inserts { try staging.stage(insertion, of: record) }
            change.rowsWritten = plan.inserts.count
            return change
        } else if let file = db as? Database {
            // SQLite names the new row's id without a RETURNING clause's row to read back.
            try BulkWrite.writingCreatedCase(file)
            try file.execute(
                """
                INSERT INTO cases (city, code, year, opened, closed, category, name, status, source, note, change_set)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                CaseRows.values(record) + [context.changeSet.databaseValue])
            id = file.lastInsertedRowID
            context.seen.insert(id)
            try BulkWrite.touchNew(id, file)
        } else {
            guard let newId = try db.value(
                Int64.self,
                """
                INSERT INTO cases (city, code, year, opened, closed, category, name, status, source, note, change_set)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
                """,
                CaseRows.values(record) + [context.changeSet.databaseValue])
            else { throw CaseTrackError.storage("the database did not return the new case's id") }
            id = newId
            context.seen.insert(id)
        }
        change.rowsWritten = try plan.execute(caseId: id, changeSet: context.changeSet, db)
        return change
    }

    /// The fields that differ between the register's case and the merged one (all stated
    /// fields of a new case).
    static func fieldChanges(from old: Case?, to new: Case) -> [FieldChange] {
        func pair(_ field: String, _ a: String?, _ b: String?) -> FieldChange? {
            a == b ? nil : FieldChange(field: field, before: a, after: b)
        }
        let key: [FieldChange?] = old.map { old in
            [pair("city", old.city, new.city), pair("code", old.code, new.code), pair("year", String(old.year), String(new.year))]
        } ?? []
        let fields: [FieldChange?] = [
            pair("opened", old?.opened, new.opened), pair("closed", old?.closed, new.closed),
            pair("category", old?.category, new.category), pair("name", old?.name, new.name),
            pair("status", old?.status.rawValue, old == nil && new.status == .open ? nil : new.status.rawValue),
            pair("source", old?.source, new.source), pair("note", old?.note, new.note),
        ]
        return (key + fields).compactMap { $0 }
    }

    /// A category or link type by name or alias; an unknown one is created when the import
    /// was asked to (`--add-vocabulary`), and remembered so that the summary names it.
    static func resolveOrAdd(_ text: String, in vocabulary: Vocabulary, _ db: any SQLSession, context: inout MergeContext) throws -> String {
        do {
            return try resolve(text, in: vocabulary, db, cache: context.cache)
        } catch let error as CaseTrackError where context.addVocabulary {
            switch error {
            case .unknownCategory, .unknownLinkType:
                guard let name = try FreeText.validate(text, field: vocabulary == .category ? "category" : "type", maxLength: 32) else { throw error }
                if let file = db as? Database { try BulkWrite.writingOtherRows(file) }
                try db.execute("INSERT INTO \(vocabulary.table) (name) VALUES (?)", [name.databaseValue])
                context.cache.names[vocabulary, default: [:]][text] = name
                context.addedVocabulary.append("\(vocabulary == .category ? "category" : "link type") \(name)")
                return name
            default:
                throw error
            }
        }
    }

    /// Rows mode: a stated array owns its kind's rows; they are replaced when they differ.
    static func planRows<R: ResultRecord>(
        _ stated: [R]?, registered: [R]?, context: MergeContext, plan: inout ResultPlan, change: inout CaseChange
    ) throws {
        guard let stated else { return }
        let old = registered ?? []
        guard !R.sameRows(stated, old) else { return }
        let before = old.reduce(0) { $0 + $1.count }
        let after = stated.reduce(0) { $0 + $1.count }
        if context.rowsConflict && !old.isEmpty && context.policy != .file {
            let figure: Figure = R.kind == .arrest ? .arrests : R.kind == .gang ? .gangs : .links
            let conflict = FigureConflict(
                caseLabel: change.label, figure: figure, register: before,
                rows: rowCount(old.count) + (before == after ? ", the rows differ" : ""), stated: after)
            if context.policy == .keep { change.kept.append(conflict) } else { change.conflicts.append(conflict) }
            return
        }
        change.results.append(
            "\(R.kind.table): \(before) in \(rowCount(old.count)) → \(after) in \(rowCount(stated.count))"
                + (old.isEmpty ? "" : " (rows replaced)"))
        // The register's rows the file's array does not hold are named, as a lower figure's are:
        // an older export imported again drops what was added since, and says so.
        var unmatched = stated
        for row in old {
            if let match = unmatched.firstIndex(where: { R.sameRows([$0], [row]) }) {
                unmatched.remove(at: match)
            } else {
                change.droppedRows.append(row.described)
            }
        }
        // A new case, or a kind the register holds no row of, has nothing to delete.
        if !old.isEmpty { plan.deleteAll.insert(R.kind) }
        plan.inserts += stated.map { $0.insertion }
    }

    /// Totals mode: each stated figure against the register's total for it.
    static func planFigures(
        _ figures: StatedFigures, caseId: Int64?, _ db: any SQLSession, context: MergeContext,
        plan: inout ResultPlan, change: inout CaseChange
    ) throws {
        for (figure, stated) in figures.stated {
            let rows = try caseId.map { try FigureRows.fetch(figure, caseId: $0, db) } ?? FigureRows(rows: [])
            let register = rows.total
            if register == stated { continue }
            // "2000余" agrees with any register figure of at least 2000.
            let atLeast = figures.lowerBounds.contains(figure)
            if atLeast && caseId != nil && register >= stated { continue }
            let note = figures.notes[figure]
            if caseId == nil {
                plan.inserts.append(figure.row(count: stated, note: note))
                change.results.append("\(figure.rawValue): 0 → \(stated) (+1 row)")
                continue
            }
            let conflict = FigureConflict(
                caseLabel: change.label, figure: figure, register: register, rows: rows.described, stated: stated, statedAtLeast: atLeast)
            switch context.policy {
            case .refuse:
                change.conflicts.append(conflict)
            case .keep:
                change.kept.append(conflict)
            case .file:
                let why = "import of \(context.file): the file states \(stated), the register had \(register)"
                let rowNote = note.map { "\($0); \(why)" } ?? why
                if stated > register {
                    plan.inserts.append(figure.row(count: stated - register, note: rowNote))
                    change.results.append("\(figure.rawValue): \(register) → \(stated) (+1 row)")
                    continue
                }
                // A lower figure replaces that figure's rows. A total of arrests without its
                // extended part keeps the extended rows and replaces the initial ones.
                var replaced = rows
                var kept = 0
                if figure == .arrests {
                    replaced = try FigureRows.fetch(.arrestsInitial, caseId: caseId!, db)
                    kept = register - replaced.total
                    guard stated >= kept else {
                        throw DocumentFieldError(
                            path: "arrests",
                            message: "the file's total of \(stated) arrests is below the register's \(kept) extended arrests of \(change.label); state arrests_extended as well")
                    }
                }
                plan.deletions += replaced.rows.map { (figure.kind, $0.id) }
                change.droppedRows += replaced.rows.map(\.description)
                if stated - kept > 0 {
                    plan.inserts.append((figure == .arrests ? Figure.arrestsInitial : figure).row(count: stated - kept, note: rowNote))
                }
                change.results.append(
                    "\(figure.rawValue): \(register) → \(stated) (\(rowCount(replaced.rows.count)) replaced by \(stated - kept > 0 ? "1 row" : "none"))")
            }
        }
    }

    static func rowCount(_ n: Int) -> String { n == 1 ? "1 row" : "\(n) rows" }
}

/// The result rows an import writes for one case.
struct ResultPlan {
    /// Kinds whose rows are all replaced (rows mode).
    var deleteAll: Set<ResultKind> = []
    /// Single rows removed (a lower figure that won).
    var deletions: [(ResultKind, Int64)] = []
    var inserts: [ResultInsertion] = []

    var isEmpty: Bool { deleteAll.isEmpty && deletions.isEmpty && inserts.isEmpty }

    /// Writes the plan; returns the number of rows inserted.
    func execute(caseId: Int64, changeSet: Int64?, _ db: any SQLSession) throws -> Int {
        // A removed row files its version through the triggers.
        if let file = db as? Database, !deleteAll.isEmpty || !deletions.isEmpty { try BulkWrite.writingOtherRows(file) }
        for kind in ResultKind.allCases where deleteAll.contains(kind) {
            try db.execute("DELETE FROM \(kind.table) WHERE case_id = ?", [caseId.databaseValue])
        }
        for (kind, id) in deletions {
            try db.execute("DELETE FROM \(kind.table) WHERE id = ?", [id.databaseValue])
        }
        // A run of rows of one kind goes in few statements: most of the cost of a one-row
        // insert is the statement's own (opening the table, its indexes and triggers), which an
        // import pays a dozen times per case otherwise. Runs are cut into powers of two, so that
        // the connection keeps a few prepared statements per kind, not one per length.
        var start = inserts.startIndex
        while start < inserts.endIndex {
            let kind = inserts[start].kind
            var end = start + 1
            while end < inserts.endIndex, end - start < Self.rowsPerStatement, inserts[end].kind == kind { end += 1 }
            end = start + 1 << (Int.bitWidth - 1 - (end - start).leadingZeroBitCount)
            let run = inserts[start..<end]
            var arguments: [DatabaseValue] = []
            arguments.reserveCapacity(run.count * (ResultInsertion.columns(of: kind).count + 2))
            for insertion in run {
                arguments.append(caseId.databaseValue)
                arguments.append(contentsOf: insertion.values)
                arguments.append(changeSet.databaseValue)
            }
            try db.execute(Self.insertSQL[kind]![run.count.trailingZeroBitCount], arguments)
            start = end
        }
        return inserts.count
    }

    /// At most this many rows per INSERT (a power of two).
    static let rowsPerStatement = 32

    /// By kind, the INSERT of 1, 2, 4 … `rowsPerStatement` rows (at the index of its power of
    /// two), written once rather than for every run.
    static let insertSQL: [ResultKind: [String]] = Dictionary(uniqueKeysWithValues: ResultKind.allCases.map { kind in
        let columns = ResultInsertion.columns(of: kind)
        let row = "(" + Array(repeating: "?", count: columns.count + 2).joined(separator: ", ") + ")"
        let statements = (0...rowsPerStatement.trailingZeroBitCount).map { power in
            "INSERT INTO \(kind.table) (case_id, \(columns.joined(separator: ", ")), change_set) VALUES "
                + Array(repeating: row, count: 1 << power).joined(separator: ", ")
        }
        return (kind, statements)
    })
}

/// One result row to insert, whatever its kind.
enum ResultInsertion {
    case arrest(Arrest)
    case gang(Gang)
    case link(ChainLink)

    var kind: ResultKind {
        switch self {
        case .arrest: return .arrest
        case .gang: return .gang
        case .link: return .link
        }
    }

    var date: String? {
        switch self {
        case let .arrest(a): return a.date
        case let .gang(g): return g.date
        case let .link(l): return l.date
        }
    }

    /// The columns an insert of this kind writes besides its case and change set, in the order of `values`.
    static func columns(of kind: ResultKind) -> [String] {
        switch kind {
        case .arrest: return ["count", "phase", "date", "note"]
        case .gang: return ["count", "name", "members", "date", "note"]
        case .link: return ["count", "type", "name", "date", "note"]
        }
    }

    var values: [DatabaseValue] {
        switch self {
        case let .arrest(a): return [a.count.databaseValue, a.phase.rawValue.databaseValue, a.date.databaseValue, a.note.databaseValue]
        case let .gang(g): return [g.count.databaseValue, g.name.databaseValue, g.members.databaseValue, g.date.databaseValue, g.note.databaseValue]
        case let .link(l): return [l.count.databaseValue, l.type.databaseValue, l.name.databaseValue, l.date.databaseValue, l.note.databaseValue]
        }
    }
}

extension Figure {
    /// A row carrying `count` of this figure.
    func row(count: Int, note: String?) -> ResultInsertion {
        switch self {
        case .arrestsInitial, .arrests: return .arrest(Arrest(caseId: 0, count: count, phase: .initial, note: note))
        case .arrestsExtended: return .arrest(Arrest(caseId: 0, count: count, phase: .extended, note: note))
        case .gangs: return .gang(Gang(caseId: 0, count: count, note: note))
        case .links: return .link(ChainLink(caseId: 0, count: count, note: note))
        }
    }
}

/// The register's rows behind one figure of a case.
struct FigureRows {
    struct Entry {
        var id: Int64
        var count: Int
        var named: Bool
        var dated: Bool
        var description: String
    }

    var rows: [Entry]

    var total: Int { rows.reduce(0) { $0 + $1.count } }

    /// "2 rows, 1 named", "no rows".
    var described: String {
        guard !rows.isEmpty else { return "no rows" }
        var parts = [CaseStore.rowCount(rows.count)]
        let named = rows.filter(\.named).count
        let dated = rows.filter(\.dated).count
        if named > 0 { parts.append("\(named) named") }
        if dated > 0 { parts.append("\(dated) dated") }
        return parts.joined(separator: ", ")
    }

    static func fetch(_ figure: Figure, caseId: Int64, _ db: any SQLSession) throws -> FigureRows {
        switch figure.kind {
        case .arrest:
            let rows = try Arrest.rows(of: caseId, db).filter { figure.phase == nil || $0.phase == figure.phase }
            return FigureRows(rows: rows.map { Entry(id: $0.id ?? 0, count: $0.count, named: false, dated: $0.date != nil, description: $0.described) })
        case .gang:
            return FigureRows(rows: try Gang.rows(of: caseId, db).map {
                Entry(id: $0.id ?? 0, count: $0.count, named: $0.name != nil, dated: $0.date != nil, description: $0.described)
            })
        case .link:
            return FigureRows(rows: try ChainLink.rows(of: caseId, db).map {
                Entry(id: $0.id ?? 0, count: $0.count, named: $0.name != nil || $0.type != nil, dated: $0.date != nil, description: $0.described)
            })
        }
    }
}

/// What the merge needs of each kind of result row.
protocol ResultRecord: Sendable {
    static var kind: ResultKind { get }
    var count: Int { get }
    /// The row as people read it in a dry run or a summary: "gang #4: 5 (跑分团伙, 2023-05)".
    var described: String { get }
    var insertion: ResultInsertion { get }
    /// The case's rows of this kind, oldest first.
    static func rows(of caseId: Int64, _ db: any SQLSession) throws -> [Self]
    /// True when two lists hold the same rows in the same order (ids and cases aside).
    static func sameRows(_ a: [Self], _ b: [Self]) -> Bool
}

extension ResultRecord {
    static func detail(_ id: Int64?, _ count: Int, _ parts: [String?]) -> String {
        let shown = parts.compactMap { $0 }
        return "\(kind.rawValue) #\(id ?? 0): \(count)" + (shown.isEmpty ? "" : " (" + shown.joined(separator: ", ") + ")")
    }
}

extension Arrest: ResultRecord {
    static var kind: ResultKind { .arrest }
    var described: String { Self.detail(id, count, [phase.rawValue, date, note]) }
    var insertion: ResultInsertion { .arrest(self) }
    static func rows(of caseId: Int64, _ db: any SQLSession) throws -> [Arrest] {
        try db.rows("SELECT * FROM arrests WHERE case_id = ? ORDER BY id", [caseId.databaseValue]).map(Arrest.init(row:))
    }
    static func sameRows(_ a: [Arrest], _ b: [Arrest]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.count == $1.count && $0.phase == $1.phase && $0.date == $1.date && $0.note == $1.note }
    }
}

extension Gang: ResultRecord {
    static var kind: ResultKind { .gang }
    var described: String { Self.detail(id, count, [name, members.map { "\($0) members" }, date, note]) }
    var insertion: ResultInsertion { .gang(self) }
    static func rows(of caseId: Int64, _ db: any SQLSession) throws -> [Gang] {
        try db.rows("SELECT * FROM gangs WHERE case_id = ? ORDER BY id", [caseId.databaseValue]).map(Gang.init(row:))
    }
    static func sameRows(_ a: [Gang], _ b: [Gang]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy {
            $0.count == $1.count && $0.name == $1.name && $0.members == $1.members && $0.date == $1.date && $0.note == $1.note
        }
    }
}

extension ChainLink: ResultRecord {
    static var kind: ResultKind { .link }
    var described: String { Self.detail(id, count, [type, name, date, note]) }
    var insertion: ResultInsertion { .link(self) }
    static func rows(of caseId: Int64, _ db: any SQLSession) throws -> [ChainLink] {
        try db.rows("SELECT * FROM links WHERE case_id = ? ORDER BY id", [caseId.databaseValue]).map(ChainLink.init(row:))
    }
    static func sameRows(_ a: [ChainLink], _ b: [ChainLink]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy {
            $0.count == $1.count && $0.type == $1.type && $0.name == $1.name && $0.date == $1.date && $0.note == $1.note
        }
    }
}

/// The cases an import has already met, so that a case given twice in one file is caught.
/// One bit per case id, in pages of 4,096 ids allocated as ids are met: a few hundred
/// kilobytes for a million cases, and nothing sized by how large an id is.
struct SeenCases {
    private var pages: [Int64: [UInt64]] = [:]
    private static let pageBits: Int64 = 4096

    mutating func insert(_ id: Int64) {
        guard id > 0 else { return }
        let (page, offset) = (id / Self.pageBits, Int(id % Self.pageBits))
        pages[page, default: Array(repeating: 0, count: Int(Self.pageBits) / 64)][offset / 64] |= 1 << UInt64(offset % 64)
    }

    func contains(_ id: Int64) -> Bool {
        guard id > 0, let words = pages[id / Self.pageBits] else { return false }
        let offset = Int(id % Self.pageBits)
        return words[offset / 64] & (1 << UInt64(offset % 64)) != 0
    }
}
