import Foundation

/// Reads and checks documents on a second thread while the importer writes, so that parsing
/// JSON and writing SQLite use both cores. The queue between them is bounded, so memory stays
/// flat however far the reader could run ahead.
final class ImportPipeline: @unchecked Sendable {
    enum Item: Sendable {
        case document(position: String, PreparedDocument)
        /// A bad record's problems, with the record as far as it was read, so that the writer
        /// can add what only the register can tell (an unknown city or category).
        case problems([ImportProblem], partial: CaseDocument?)
        case failure(CaseTrackError)
    }

    private let condition = NSCondition()
    private var batches: [[Item]] = []
    private var finished = false
    private var cancelled = false
    private var current: [Item] = []
    private var index = 0
    private static let batchSize = 64
    private static let maxBatches = 8

    /// Starts reading `reader` on its own thread.
    init(reader: DocumentReader) {
        let box = ReaderBox(reader: reader)
        let thread = Thread { [self] in self.produce(box.reader) }
        thread.stackSize = 8 << 20
        thread.start()
    }

    private func produce(_ reader: DocumentReader) {
        var batch: [Item] = []
        batch.reserveCapacity(Self.batchSize)
        do {
            while let record = try reader.next() {
                switch record.document {
                case let .failure(found):
                    // The fields a reader could not fault are checked too, so that a record's
                    // every problem shows in one run.
                    var problems = found.problems
                    if let partial = found.partial {
                        do { _ = try CaseStore.prepare(partial) } catch let more as DocumentProblems {
                            problems += Self.newProblems(more.problems, beside: problems, file: reader.fileName, position: record.position)
                        } catch {}
                    }
                    batch.append(.problems(problems, partial: found.partial))
                case let .success(document):
                    do {
                        batch.append(.document(position: record.position, try CaseStore.prepare(document)))
                    } catch let error as DocumentProblems {
                        batch.append(.problems(Self.newProblems(error.problems, beside: [], file: reader.fileName, position: record.position), partial: document))
                    } catch let error as DocumentFieldError {
                        batch.append(.problems([ImportProblem(
                            file: reader.fileName, position: record.position,
                            field: error.path.isEmpty ? nil : error.path, message: error.message)], partial: document))
                    }
                }
                if batch.count == Self.batchSize {
                    guard push(batch) else { return }
                    batch.removeAll(keepingCapacity: true)
                }
            }
        } catch let error as CaseTrackError {
            batch.append(.failure(error))
        } catch {
            batch.append(.failure(.input("\(reader.fileName): \(error)")))
        }
        _ = push(batch)
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    /// Problems of fields not already faulted (an empty code is reported once, not twice).
    static func newProblems(_ found: [DocumentFieldError], beside known: [ImportProblem], file: String, position: String) -> [ImportProblem] {
        let faulted = Set(known.compactMap(\.field))
        var seen = faulted
        return found.compactMap { problem in
            let field = problem.path.isEmpty ? nil : problem.path
            if let field, !seen.insert(field).inserted { return nil }
            return ImportProblem(file: file, position: position, field: field, message: problem.message)
        }
    }

    /// Hands a batch to the writer, waiting while the queue is full. False once cancelled.
    private func push(_ batch: [Item]) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while batches.count >= Self.maxBatches && !cancelled { condition.wait() }
        if cancelled { return false }
        if !batch.isEmpty { batches.append(batch) }
        condition.broadcast()
        return true
    }

    /// The next item, or nil when the reader is done.
    func next() -> Item? {
        if index < current.count {
            defer { index += 1 }
            return current[index]
        }
        condition.lock()
        defer { condition.unlock() }
        while batches.isEmpty && !finished { condition.wait() }
        guard !batches.isEmpty else { return nil }
        current = batches.removeFirst()
        index = 1
        condition.broadcast()
        return current[0]
    }

    /// Stops the reader (the writer has seen enough problems, or failed).
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }
}

/// The reader belongs to the reading thread alone once the pipeline starts.
private struct ReaderBox: @unchecked Sendable {
    let reader: DocumentReader
}
