import Foundation
import GRDB

/// What an import did, or (for a dry run) would do.
public struct ImportSummary: Sendable, Equatable {
    public var created = 0
    public var updated = 0
    public var unchanged = 0
    /// Result rows (arrest batches, gangs, chain links) written for created and updated cases.
    public var resultsWritten = 0
    public var seconds: Double = 0
    public var dryRun = false

    public var documents: Int { created + updated + unchanged }
}

/// What an import does with one case.
public enum ImportAction: String, Sendable {
    case create, update, unchanged
}

/// Every bad record found in an import (up to a limit); nothing was written.
public struct ImportFailure: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var problems: [ImportProblem]
    /// True when reading stopped at the limit, so more records may be bad.
    public var truncated: Bool

    public var description: String {
        let count = problems.count
        var text = "\(file): \(count)\(truncated ? "+" : "") bad record\(count == 1 ? "" : "s"); nothing was imported\n"
        text += problems.map { "  \($0)" }.joined(separator: "\n")
        if truncated { text += "\n  (stopped after \(count) problems; fix these and run again)" }
        return text
    }
}

/// How an import reads its input.
public struct ImportOptions: Sendable {
    public var format: ExchangeFormat?
    public var encoding: TextEncoding
    public var dryRun: Bool
    /// Stop reading after this many bad records.
    public var problemLimit: Int

    public init(format: ExchangeFormat? = nil, encoding: TextEncoding = .utf8, dryRun: Bool = false, problemLimit: Int = 50) {
        self.format = format
        self.encoding = encoding
        self.dryRun = dryRun
        self.problemLimit = problemLimit
    }
}

extension CaseStore {
    /// Imports case documents from a file (or "-" for standard input) in one transaction:
    /// everything or nothing. A case is keyed by (city, code, year) after normalisation; an
    /// existing case takes the document's fields and results, a new one is created, and a case
    /// the document already describes exactly is left untouched, so importing the same file
    /// twice changes nothing. A dry run validates everything and writes nothing.
    ///
    /// - Parameters:
    ///   - progress: called now and then with the number of documents read so far.
    ///   - planned: called for every case with what the import does (or would do) to it.
    public func importDocuments(
        from path: String, options: ImportOptions = ImportOptions(),
        progress: ((Int) -> Void)? = nil,
        planned: ((ImportAction, String) -> Void)? = nil
    ) throws -> ImportSummary {
        let reader = try DocumentReader(path: path, format: options.format, encoding: options.encoding)
        return try importDocuments(from: reader, options: options, progress: progress, planned: planned)
    }

    /// Imports documents held in memory, with the same rules as a file; `name` names the input
    /// in messages.
    public func importDocuments(
        data: Data, name: String, options: ImportOptions = ImportOptions(),
        planned: ((ImportAction, String) -> Void)? = nil
    ) throws -> ImportSummary {
        let reader = try DocumentReader(data: data, name: name, format: options.format, encoding: options.encoding)
        return try importDocuments(from: reader, options: options, progress: nil, planned: planned)
    }

    func importDocuments(
        from reader: DocumentReader, options: ImportOptions,
        progress: ((Int) -> Void)?, planned: ((ImportAction, String) -> Void)?
    ) throws -> ImportSummary {
        let started = Date()
        var summary = ImportSummary()
        summary.dryRun = options.dryRun
        var problems: [ImportProblem] = []
        var truncated = false

        let body: (Database) throws -> Void = { db in
            let cache = VocabularyCache()
            var seen = SeenCases()
            var read = 0
            let pipeline = ImportPipeline(reader: reader)
            defer { pipeline.cancel() }
            while let item = pipeline.next() {
                read += 1
                if read % 1000 == 0 { progress?(read) }
                switch item {
                case let .failure(error):
                    throw error
                case let .problem(problem):
                    problems.append(problem)
                case let .document(position, prepared):
                    do {
                        let (action, label, results) = try Self.write(prepared, db, cache: cache, seen: &seen)
                        switch action {
                        case .create: summary.created += 1
                        case .update: summary.updated += 1
                        case .unchanged: summary.unchanged += 1
                        }
                        summary.resultsWritten += results
                        planned?(action, label)
                    } catch let error as DocumentFieldError {
                        problems.append(ImportProblem(
                            file: reader.fileName, position: position, field: error.path.isEmpty ? nil : error.path,
                            message: error.message))
                    }
                }
                if problems.count >= options.problemLimit {
                    truncated = true
                    break
                }
            }
            if !problems.isEmpty {
                throw ImportFailure(file: reader.fileName, problems: problems, truncated: truncated)
            }
        }

        // A bulk write outgrows SQLite's default 2 MB page cache, and every page it evicts is
        // written to the WAL again; a larger cache for the import's duration avoids most of that.
        try? dbQueue.writeWithoutTransaction { try $0.execute(sql: "PRAGMA cache_size = -16384") }
        defer { try? dbQueue.writeWithoutTransaction { try $0.execute(sql: "PRAGMA cache_size = -2000") } }
        do {
            if options.dryRun {
                try useMemoryForStatementJournals()
                try dbQueue.inTransaction(.immediate) { db in
                    try body(db)
                    return .rollback
                }
            } else {
                try write(body)
            }
        } catch let failure as ImportFailure {
            throw failure
        } catch let error as CaseTrackError {
            throw error
        } catch {
            throw CaseTrackError.storage(Self.describe(error))
        }
        summary.seconds = Date().timeIntervalSince(started)
        return summary
    }

    /// Runs one check, naming the field in the problem it reports.
    static func field<T>(_ path: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as CaseTrackError {
            throw DocumentFieldError(path: path, message: error.description)
        }
    }

    /// Checks everything about a document that needs no database: the case's fields by the
    /// rules of `CaseStore.apply` (city and category still as written) and every result row.
    static func prepare(_ document: CaseDocument) throws -> PreparedDocument {
        let code = try field("code") { try CaseCode.normalise(document.code) }
        let opened = try field("opened") { try document.opened.map { try PartialDate(parsing: $0, field: "opened") } }
        var year = opened?.year
        if let given = document.year {
            guard PartialDate.years.contains(given) else {
                throw DocumentFieldError(path: "year", message: "must be a whole number from 1949 to 2100, got \(given)")
            }
            if let opened, opened.year != given {
                throw DocumentFieldError(path: "year", message: "\(given) does not match the opening date \(opened)")
            }
            year = given
        }
        guard let year else { throw DocumentFieldError(path: "year", message: "is missing: give \"year\" or \"opened\"") }
        // Each field is checked on its own first, so that a problem names its field.
        _ = try field("closed") { try document.closed.map { try PartialDate(parsing: $0, field: "closed") } }
        _ = try field("name") { try FreeText.validate(document.name, field: "name", maxLength: TextLimits.name) }
        _ = try field("source") { try FreeText.validate(document.source, field: "source", maxLength: TextLimits.source) }
        _ = try field("note") { try FreeText.validate(document.note, field: "note", maxLength: TextLimits.note) }
        if let status = document.status, CaseStatus(rawValue: status.lowercased()) == nil {
            throw DocumentFieldError(path: "status", message: "must be open or closed, got '\(status.preview)'")
        }
        var fields = CaseFields(
            city: document.city, code: code, opened: document.opened ?? "", year: String(year),
            closed: document.closed ?? "", category: document.category ?? "", name: document.name ?? "",
            status: document.status, source: document.source ?? "", note: document.note ?? "")
        if fields.status == nil { fields.status = fields.closed?.isEmpty == false ? CaseStatus.closed.rawValue : CaseStatus.open.rawValue }
        let record = try field("") { try CaseStore.apply(fields, to: nil, vocabulary: DeferredVocabulary()) }

        let arrests = try document.arrests.enumerated().map { index, entry in
            let path = "arrests[\(index)]"
            return Arrest(
                caseId: 0,
                count: try field("\(path).count") { try ResultCount.validate(entry.count) },
                phase: try field("\(path).phase") { try entry.phase.map(ArrestPhase.init(parsing:)) ?? .initial },
                date: try field("\(path).date") { try entry.date.map { try PartialDate(parsing: $0).description } },
                note: try field("\(path).note") { try FreeText.validate(entry.note, field: "note", maxLength: TextLimits.note) })
        }
        let gangs = try document.gangs.enumerated().map { index, entry in
            let path = "gangs[\(index)]"
            return Gang(
                caseId: 0,
                count: try field("\(path).count") { try entry.count.map { try ResultCount.validate($0) } ?? 1 },
                name: try field("\(path).name") { try FreeText.validate(entry.name, field: "name", maxLength: TextLimits.name) },
                members: try field("\(path).members") { try entry.members.map { try ResultCount.validate($0, field: "members") } },
                date: try field("\(path).date") { try entry.date.map { try PartialDate(parsing: $0).description } },
                note: try field("\(path).note") { try FreeText.validate(entry.note, field: "note", maxLength: TextLimits.note) })
        }
        let links = try document.links.enumerated().map { index, entry in
            let path = "links[\(index)]"
            return ChainLink(
                caseId: 0,
                count: try field("\(path).count") { try entry.count.map { try ResultCount.validate($0) } ?? 1 },
                type: entry.type.flatMap { $0.isEmpty ? nil : $0 },
                name: try field("\(path).name") { try FreeText.validate(entry.name, field: "name", maxLength: TextLimits.name) },
                date: try field("\(path).date") { try entry.date.map { try PartialDate(parsing: $0).description } },
                note: try field("\(path).note") { try FreeText.validate(entry.note, field: "note", maxLength: TextLimits.note) })
        }
        return PreparedDocument(
            record: record, keepsClosingDate: document.keepsClosingDate, arrests: arrests, gangs: gangs, links: links)
    }

    /// Resolves a prepared document's names and writes it. Returns what was done, the case's
    /// label and the number of result rows written.
    static func write(
        _ prepared: PreparedDocument, _ db: Database, cache: VocabularyCache, seen: inout SeenCases
    ) throws -> (ImportAction, String, Int) {
        var record = prepared.record
        let city = try field("city") { try resolveCity(record.city, db, cache: cache) }
        record.city = city.code
        record.category = try field("category") { try record.category.map { try resolve($0, in: .category, db, cache: cache) } }
        var links = prepared.links
        for index in links.indices {
            links[index].type = try field("links[\(index)].type") { try links[index].type.map { try resolve($0, in: .linkType, db, cache: cache) } }
        }
        let arrests = prepared.arrests
        let gangs = prepared.gangs
        let label = CaseLabel.format(city: city.shortName, code: record.code, year: record.year)

        let existing = try Case.fetchOne(
            db.cachedStatement(sql: "SELECT * FROM cases WHERE city = ? AND code = ? AND year = ?"),
            arguments: [record.city, record.code, record.year])
        if let id = existing?.id, seen.contains(id) {
            throw DocumentFieldError(path: "code", message: "case \(label) appears more than once in this file")
        }
        // A CSV row has no closing date: a case that stays closed keeps the one it has.
        if prepared.keepsClosingDate, record.status == .closed, let closed = existing?.closed {
            record = try field("") { try CaseStore.apply(CaseFields(closed: closed), to: record, db, cache: cache) }
        }

        let action: ImportAction
        let caseId: Int64
        if let existing, let id = existing.id {
            caseId = id
            record.id = id
            let sameCase = Self.sameFields(existing, record)
            let sameResults = try sameFields(arrests, Arrest.fetchAll(db.cachedStatement(sql: "SELECT * FROM arrests WHERE case_id = ? ORDER BY id"), arguments: [id]))
                && sameFields(gangs, Gang.fetchAll(db.cachedStatement(sql: "SELECT * FROM gangs WHERE case_id = ? ORDER BY id"), arguments: [id]))
                && sameFields(links, ChainLink.fetchAll(db.cachedStatement(sql: "SELECT * FROM links WHERE case_id = ? ORDER BY id"), arguments: [id]))
            seen.insert(id)
            if sameCase && sameResults { return (.unchanged, label, 0) }
            action = .update
            if !sameCase {
                try db.cachedStatement(
                    sql: """
                        UPDATE cases SET opened = ?, closed = ?, category = ?, name = ?, status = ?, source = ?, note = ?
                        WHERE id = ?
                        """
                ).execute(arguments: [record.opened, record.closed, record.category, record.name, record.status, record.source, record.note, id])
            }
            if sameResults { return (action, label, 0) }
            for table in ResultKind.allCases.map(\.table) {
                try db.cachedStatement(sql: "DELETE FROM \(table) WHERE case_id = ?").execute(arguments: [id])
            }
        } else {
            action = .create
            try db.cachedStatement(
                sql: """
                    INSERT INTO cases (city, code, year, opened, closed, category, name, status, source, note)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """
            ).execute(arguments: [record.city, record.code, record.year, record.opened, record.closed, record.category, record.name, record.status, record.source, record.note])
            caseId = db.lastInsertedRowID
            seen.insert(caseId)
        }
        let insertArrest = try db.cachedStatement(sql: "INSERT INTO arrests (case_id, count, phase, date, note) VALUES (?, ?, ?, ?, ?)")
        for arrest in arrests {
            try insertArrest.execute(arguments: [caseId, arrest.count, arrest.phase, arrest.date, arrest.note])
        }
        let insertGang = try db.cachedStatement(sql: "INSERT INTO gangs (case_id, count, name, members, date, note) VALUES (?, ?, ?, ?, ?, ?)")
        for gang in gangs {
            try insertGang.execute(arguments: [caseId, gang.count, gang.name, gang.members, gang.date, gang.note])
        }
        let insertLink = try db.cachedStatement(sql: "INSERT INTO links (case_id, count, type, name, date, note) VALUES (?, ?, ?, ?, ?, ?)")
        for link in links {
            try insertLink.execute(arguments: [caseId, link.count, link.type, link.name, link.date, link.note])
        }
        return (action, label, arrests.count + gangs.count + links.count)
    }

    static func sameFields(_ a: Case, _ b: Case) -> Bool {
        a.city == b.city && a.code == b.code && a.year == b.year && a.opened == b.opened && a.closed == b.closed
            && a.category == b.category && a.name == b.name && a.status == b.status && a.source == b.source
            && a.note == b.note
    }

    static func sameFields(_ a: [Arrest], _ b: [Arrest]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.count == $1.count && $0.phase == $1.phase && $0.date == $1.date && $0.note == $1.note }
    }

    static func sameFields(_ a: [Gang], _ b: [Gang]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy {
            $0.count == $1.count && $0.name == $1.name && $0.members == $1.members && $0.date == $1.date && $0.note == $1.note
        }
    }

    static func sameFields(_ a: [ChainLink], _ b: [ChainLink]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy {
            $0.count == $1.count && $0.type == $1.type && $0.name == $1.name && $0.date == $1.date && $0.note == $1.note
        }
    }
}

/// A document checked for everything that needs no database.
struct PreparedDocument: Sendable {
    /// The case, its city and category still as the document wrote them.
    var record: Case
    var keepsClosingDate: Bool
    var arrests: [Arrest]
    var gangs: [Gang]
    /// Link types still as written.
    var links: [ChainLink]
}

/// The cases an import has already met, one bit per case id, so that a case given twice in one
/// file is caught while memory stays a few hundred kilobytes for a million cases.
struct SeenCases {
    private var words: [UInt64] = []

    mutating func insert(_ id: Int64) {
        guard id > 0 else { return }
        let (word, bit) = (Int(id) / 64, Int(id) % 64)
        if word >= words.count { words += Array(repeating: 0, count: word - words.count + 1 + words.count / 2) }
        words[word] |= 1 << UInt64(bit)
    }

    func contains(_ id: Int64) -> Bool {
        guard id > 0 else { return false }
        let (word, bit) = (Int(id) / 64, Int(id) % 64)
        return word < words.count && words[word] & (1 << UInt64(bit)) != 0
    }
}
