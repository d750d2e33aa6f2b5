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
    /// Result rows removed because the input's lower figure won (`--on-conflict file`).
    public var droppedRows: [String] = []
    /// Figures that differed and were kept as the register has them (`--on-conflict keep`).
    public var keptConflicts = 0
    /// Categories and link types the import added (`addVocabulary`).
    public var addedVocabulary: [String] = []
    /// Things worth a second look, each naming its case (the first 50), and how many in all.
    public var warnings: [String] = []
    public var warningCount = 0

    public var documents: Int { created + updated + unchanged }
}

/// Every bad record found in an import (up to a limit); nothing was written.
public struct ImportFailure: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var problems: [ImportProblem]
    /// True when reading stopped at the limit, so more records may be bad.
    public var truncated: Bool

    public var description: String {
        let count = problems.count
        // A problem of the whole file (an empty one) is said as it is, not counted as a record's.
        if count == 1, let only = problems.first, only.position.isEmpty { return "\(only); nothing was imported" }
        let records = Set(problems.map(\.position)).count
        var text = "\(file): \(count)\(truncated ? "+" : "") problem\(count == 1 ? "" : "s") in \(records) record\(records == 1 ? "" : "s"); nothing was imported\n"
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
    /// What to do with figures that differ from the register's.
    public var onConflict: ConflictPolicy
    /// Create categories and link types the input names but the vocabularies lack.
    public var addVocabulary: Bool
    /// Stop reading after this many problems.
    public var problemLimit: Int
    /// Read the input as `encoding` even when it looks like another one.
    public var forceEncoding = false
    /// Result rows that differ from the register's conflict instead of replacing them (`copy`).
    public var rowsConflict = false

    public init(
        format: ExchangeFormat? = nil, encoding: TextEncoding = .utf8, dryRun: Bool = false,
        onConflict: ConflictPolicy = .refuse, addVocabulary: Bool = false, problemLimit: Int = 50
    ) {
        self.format = format
        self.encoding = encoding
        self.dryRun = dryRun
        self.onConflict = onConflict
        self.addVocabulary = addVocabulary
        self.problemLimit = problemLimit
    }
}

extension CaseStore {
    /// Imports case documents from a file (or "-" for standard input) in one transaction:
    /// everything or nothing. A case is keyed by (city, code, year) after normalisation. A new
    /// case is created; an existing one changes exactly as far as the document states (see
    /// `CaseDocument`), and a figure stated differently from the register's total is a
    /// conflict, handled by `ImportOptions.onConflict`. A case the document already describes
    /// is not touched, so importing the same file twice changes nothing. A dry run validates
    /// everything and writes nothing.
    ///
    /// - Parameters:
    ///   - progress: called now and then with the number of documents read so far.
    ///   - planned: called for every case with what the import does (or would do) to it.
    public func importDocuments(
        from path: String, options: ImportOptions = ImportOptions(),
        progress: ((Int) -> Void)? = nil,
        planned: ((CaseChange) -> Void)? = nil
    ) throws -> ImportSummary {
        let reader = try DocumentReader(path: path, format: options.format, encoding: options.encoding, forceEncoding: options.forceEncoding)
        return try importDocuments(from: reader, options: options, progress: progress, planned: planned)
    }

    /// Imports documents held in memory, with the same rules as a file; `name` names the input
    /// in messages.
    public func importDocuments(
        data: Data, name: String, options: ImportOptions = ImportOptions(),
        planned: ((CaseChange) -> Void)? = nil
    ) throws -> ImportSummary {
        let reader = try DocumentReader(data: data, name: name, format: options.format, encoding: options.encoding, forceEncoding: options.forceEncoding)
        return try importDocuments(from: reader, options: options, progress: nil, planned: planned)
    }

    func importDocuments(
        from reader: DocumentReader, options: ImportOptions,
        progress: ((Int) -> Void)?, planned: ((CaseChange) -> Void)?
    ) throws -> ImportSummary {
        let started = Date()
        var summary = ImportSummary()
        summary.dryRun = options.dryRun
        var problems: [ImportProblem] = []
        var truncated = false

        var conflicts: [FigureConflict] = []
        let body: (any SQLSession) throws -> Void = { db in
            var context = MergeContext(file: reader.fileName, policy: options.onConflict, addVocabulary: options.addVocabulary)
            context.rowsConflict = options.rowsConflict
            // On SQLite the import writes its change set into every row itself and recomputes
            // totals set-wise at the end; a server's triggers do both row by row.
            let file = db as? Database
            if let file {
                context.changeSet = try ChangeSets.current(file)
                try BulkWrite.begin(file)
            }
            defer { if let file { BulkWrite.end(file) } }
            if let server = db as? ServerSession { context.staging = try ServerStaging(server) }
            var read = 0
            let pipeline = ImportPipeline(reader: reader)
            defer { pipeline.cancel() }
            while let item = pipeline.next() {
                read += 1
                if read % 1000 == 0 { progress?(read) }
                switch item {
                case let .failure(error):
                    throw error
                case let .problems(found, partial):
                    problems += found
                    if let partial {
                        problems += try Self.vocabularyProblems(partial, beside: found, db, context: &context)
                    }
                case let .document(position, prepared):
                    do {
                        let change = try Self.merge(prepared, db, context: &context)
                        switch change.action {
                        case .create: summary.created += 1
                        case .update: summary.updated += 1
                        case .unchanged: summary.unchanged += 1
                        }
                        summary.resultsWritten += change.rowsWritten
                        summary.droppedRows += change.droppedRows.map { "\(change.label) \($0)" }
                        summary.keptConflicts += change.kept.count
                        summary.warningCount += change.warnings.count
                        if summary.warnings.count < 50 { summary.warnings += change.warnings.map { "\(change.label): \($0)" } }
                        conflicts += change.conflicts
                        planned?(change)
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
            summary.addedVocabulary = context.addedVocabulary
            if let file { try BulkWrite.finish(file) }
            if problems.isEmpty && conflicts.isEmpty { try context.staging?.flush() }
            if !problems.isEmpty {
                throw ImportFailure(file: reader.fileName, problems: problems, truncated: truncated)
            }
            if !conflicts.isEmpty {
                throw ImportConflicts(file: reader.fileName, conflicts: conflicts)
            }
        }

        // A bulk write outgrows SQLite's default 2 MB page cache, and every page it evicts is
        // written to the WAL again; a larger cache for the import's duration avoids most of that.
        // 4 MB: a 1M-case import takes as long as with 6 MB (128–130 s), and its memory stays
        // under 64 MB (60.1 MiB; 64.5 with 6 MB, most of the rest being the checkpoint of the
        // transaction's WAL at its commit, which grows with the import).
        if !isServer {
            try? dbQueue.writeWithoutTransaction { try $0.execute(sql: "PRAGMA cache_size = -4096") }
        }
        defer { if !isServer { try? dbQueue.writeWithoutTransaction { try $0.execute(sql: "PRAGMA cache_size = -2000") } } }
        do {
            if options.dryRun {
                try previewSession(body)
            } else {
                try writeSession(body)
            }
        } catch let failure as ImportFailure {
            throw failure
        } catch let conflicts as ImportConflicts {
            throw conflicts
        } catch let error as CaseTrackError {
            throw error
        } catch {
            throw CaseTrackError.storage(Self.describe(error))
        }
        summary.seconds = Date().timeIntervalSince(started)
        return summary
    }

    /// What only the register can tell about a bad record: an unknown city, category or link
    /// type, for fields not already faulted.
    static func vocabularyProblems(
        _ document: CaseDocument, beside found: [ImportProblem], _ db: any SQLSession, context: inout MergeContext
    ) throws -> [ImportProblem] {
        guard let first = found.first else { return [] }
        let faulted = Set(found.compactMap(\.field))
        var extra: [ImportProblem] = []
        func check(_ field: String, _ body: () throws -> Void) {
            guard !faulted.contains(field) else { return }
            do { try body() } catch let error as CaseTrackError {
                extra.append(ImportProblem(file: first.file, position: first.position, field: field, message: error.description))
            } catch {}
        }
        if !document.city.isEmpty { check("city") { _ = try resolveCity(document.city, db, cache: context.cache) } }
        if !context.addVocabulary {
            if let category = document.category.value, !category.isEmpty {
                check("category") { _ = try resolve(category, in: .category, db, cache: context.cache) }
            }
            for (index, link) in (document.links ?? []).enumerated() {
                if let type = link.type, !type.isEmpty {
                    check("links[\(index)].type") { _ = try resolve(type, in: .linkType, db, cache: context.cache) }
                }
            }
        }
        return extra
    }
}
