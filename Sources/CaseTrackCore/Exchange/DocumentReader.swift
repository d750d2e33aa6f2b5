import CSV
import Foundation

/// What is wrong with one record of an import, located by file, line or index, and field.
public struct ImportProblem: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    /// `line 3` (JSONL, CSV) or `index 2` (JSON); empty when the file as a whole is at fault.
    public var position: String
    /// `arrests[0].count`, or nil when the record as a whole is at fault.
    public var field: String?
    public var message: String

    public var description: String {
        "\(file): " + (position.isEmpty ? "" : "\(position): ") + (field.map { "\($0): " } ?? "") + message
    }
}

/// One record of an import: where it is, and its document or its problem.
struct ImportRecord {
    var position: String
    var document: Result<CaseDocument, ImportProblems>
}

/// Every problem found in one record, with the record as far as it could be read.
struct ImportProblems: Error {
    var problems: [ImportProblem]
    var partial: CaseDocument?
}

/// Reads case documents one at a time from JSON, JSONL or CSV input, never holding the file.
final class DocumentReader {
    let format: ExchangeFormat
    /// The input as messages name it (`copy` names the register it reads, not its temporary file).
    var fileName: String
    private let input: InputText
    /// What the byte scan found about the document being decoded, which the decoder hands on.
    private let hints = DocumentScanHints()
    private lazy var decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.userInfo[DocumentScanHints.key] = hints
        return decoder
    }()
    // JSONL and JSON
    private var lineNumber = 0
    private var sawDocument = false
    private var arrayIndex = 0
    private var arrayState: ArrayState = .start
    // CSV
    private var csv: CSVReader?
    private var csvColumns: [String: Int] = [:]
    private var csvWidth = 0
    /// The line the next CSV record starts on (the header is line 1).
    private var csvLine = 2
    private var spooled: URL?
    private var stopped = false

    enum ArrayState { case start, inside, done }

    convenience init(path: String, format: ExchangeFormat?, encoding: TextEncoding, forceEncoding: Bool = false) throws {
        try self.init(input: InputText(path: path, encoding: encoding, forceEncoding: forceEncoding), path: path, format: format)
    }

    /// Reads documents from memory; the format must be given or is sniffed.
    convenience init(data: Data, name: String, format: ExchangeFormat?, encoding: TextEncoding, forceEncoding: Bool = false) throws {
        try self.init(input: InputText(data: data, name: name, encoding: encoding, forceEncoding: forceEncoding), path: "-", format: format)
    }

    private init(input: InputText, path: String, format: ExchangeFormat?) throws {
        self.input = input
        fileName = input.name
        if let format {
            self.format = format
        } else if path == "-" {
            self.format = ExchangeFormat.sniff(try input.peek(4096))
        } else if let implied = ExchangeFormat(fileName: path) {
            // `export > cases.json` writes JSONL by default: trust the content over the name.
            if implied != .csv, try input.peek(4096).contains(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) {
                let sniffed = ExchangeFormat.sniff(try input.peek(4096))
                self.format = sniffed == .csv ? implied : sniffed
            } else {
                self.format = implied
            }
        } else {
            throw CaseTrackError.input("\(path): cannot tell the format from the file name; give --format json, jsonl or csv")
        }
    }

    deinit {
        if let spooled { try? FileManager.default.removeItem(at: spooled) }
    }

    /// The next record, or nil at the end. After a problem that makes the rest unreadable
    /// (a broken JSON array, a wrong CSV header) the reader stops.
    func next() throws -> ImportRecord? {
        guard !stopped else { return nil }
        switch format {
        case .jsonl: return try nextJSONLine()
        case .json: return try nextArrayElement()
        case .csv: return try nextCSVRow()
        }
    }

    private func problem(_ position: String, _ field: String?, _ message: String) -> ImportRecord {
        ImportRecord(position: position, document: .failure(ImportProblems(problems: [ImportProblem(file: fileName, position: position, field: field, message: message)])))
    }

    private func fatal(_ position: String, _ field: String?, _ message: String) -> ImportRecord {
        stopped = true
        return problem(position, field, message)
    }

    // MARK: - JSON

    private func decode(_ bytes: some Collection<UInt8>, position: String) -> ImportRecord {
        if bytes.contains(0) { return problem(position, nil, "contains a NUL byte") }
        guard String(validating: bytes, as: UTF8.self) != nil else {
            return problem(position, nil, "is not valid UTF-8 (for a GB18030 or GBK file add --encoding gb18030)")
        }
        let scan = JSONKeys.scan(bytes)
        if let duplicate = scan.duplicate {
            return problem(position, duplicate.path.isEmpty ? nil : duplicate.path, "the key \"\(duplicate.key)\" appears twice; which value is meant is not ours to guess")
        }
        hints.knownKeysOnly = scan.knownKeysOnly
        do {
            let document = try decoder.decode(CaseDocument.self, from: Data(bytes))
            return ImportRecord(position: position, document: .success(document))
        } catch let error as DocumentFieldError {
            return problem(position, error.path, error.message)
        } catch let error as DocumentProblems {
            return ImportRecord(position: position, document: .failure(ImportProblems(problems: error.problems.map {
                ImportProblem(file: fileName, position: position, field: $0.path.isEmpty ? nil : $0.path, message: $0.message)
            }, partial: error.partial)))
        } catch let DecodingError.dataCorrupted(context) {
            return problem(position, nil, "malformed JSON" + Self.detail(of: context.underlyingError, bytes: bytes))
        } catch {
            return problem(position, nil, "malformed JSON")
        }
    }

    /// The JSON parser's own explanation (such as "Unexpected character 'n' at line 1, column 1"), when it gives one.
    static func detail(of error: Error?, bytes: some Collection<UInt8>) -> String {
        // The decoder does not say where the JSON breaks; the serialiser does.
        var error = error
        if error == nil {
            do { _ = try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed]) } catch let parse { error = parse }
        }
        guard let error else { return "" }
        let text = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
        return text.isEmpty ? "" : " (\(text.preview))"
    }

    private func nextJSONLine() throws -> ImportRecord? {
        while true {
            let read: ArraySlice<UInt8>?
            do {
                read = try input.nextLine()
            } catch is LineTooLong {
                return fatal("line \(lineNumber + 1)", nil, "is longer than 16 MiB; one document per line is expected")
            }
            guard let line = read else {
                if !sawDocument { return fatal("", nil, "the file is empty; expected one JSON document per line") }
                break
            }
            lineNumber += 1
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            sawDocument = true
            return decode(line, position: "line \(lineNumber)")
        }
        return nil
    }

    /// Splits a top-level JSON array into its elements by tracking strings and nesting, so that
    /// each element is decoded on its own and the array is never held whole.
    private func nextArrayElement() throws -> ImportRecord? {
        func skipSpace() throws -> UInt8? {
            while let byte = try input.nextByte() {
                if ![0x20, 0x09, 0x0A, 0x0D].contains(byte) { return byte }
            }
            return nil
        }
        let position = "index \(arrayIndex)"
        switch arrayState {
        case .done:
            return nil
        case .start:
            guard let first = try skipSpace() else { return fatal("", nil, "the file is empty; expected a JSON array") }
            guard first == UInt8(ascii: "[") else {
                // Name the format the text looks like: one object per line, or anything else (a CSV header).
                let hint = first == UInt8(ascii: "{")
                    ? "for one document per line use --format jsonl"
                    : "the text looks like CSV or plain text: for a CSV file use --format csv, for one document per line --format jsonl"
                return fatal("index 0", nil, "expected a JSON array of case documents (\(hint))")
            }
            arrayState = .inside
            if let byte = try skipSpace() {
                if byte == UInt8(ascii: "]") {
                    arrayState = .done
                    return try trailing()
                }
                return try element(startingWith: byte, position: position)
            }
            return fatal(position, nil, "the array is not closed")
        case .inside:
            guard let separator = try skipSpace() else { return fatal(position, nil, "the array is not closed") }
            if separator == UInt8(ascii: "]") {
                arrayState = .done
                return try trailing()
            }
            guard separator == UInt8(ascii: ",") else { return fatal(position, nil, "malformed JSON: expected , or ] between documents") }
            guard let start = try skipSpace() else { return fatal(position, nil, "the array is not closed") }
            return try element(startingWith: start, position: position)
        }
    }

    private func trailing() throws -> ImportRecord? {
        while let byte = try input.nextByte() {
            if ![0x20, 0x09, 0x0A, 0x0D].contains(byte) {
                return fatal("index \(arrayIndex)", nil, "malformed JSON: text after the closing ]")
            }
        }
        return nil
    }

    private func element(startingWith first: UInt8, position: String) throws -> ImportRecord? {
        var bytes = [first]
        var depth = first == UInt8(ascii: "{") || first == UInt8(ascii: "[") ? 1 : 0
        var inString = first == UInt8(ascii: "\"")
        var escaped = false
        let limit = InputText.lineLimit
        while depth > 0 || inString {
            guard let byte = try input.nextByte() else { return fatal(position, nil, "malformed JSON: the file ends inside a document") }
            bytes.append(byte)
            if bytes.count > limit { return fatal(position, nil, "is larger than 16 MiB; one document is expected") }
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
            } else if byte == UInt8(ascii: "\"") {
                inString = true
            } else if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") {
                depth += 1
            } else if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") {
                depth -= 1
            }
        }
        if depth == 0 && bytes.count == 1 && first != UInt8(ascii: "}") && first != UInt8(ascii: "]") {
            // A bare scalar (a number, true…): read to the next separator.
            while let byte = try input.peek(1).first, ![UInt8(ascii: ","), UInt8(ascii: "]"), 0x20, 0x0A, 0x0D, 0x09].contains(byte) {
                bytes.append(try input.nextByte() ?? 0)
            }
        }
        arrayIndex += 1
        return decode(bytes, position: position)
    }

    // MARK: - CSV

    private func nextCSVRow() throws -> ImportRecord? {
        if csv == nil {
            guard let opened = try openCSV() else { return fatal("", nil, "the file is empty; expected the header " + CSVLayout.columns.joined(separator: ",")) }
            if let headerProblem = opened { return headerProblem }
        }
        guard let reader = csv else { return nil }
        while let row = reader.next() {
            let line = csvLine
            csvLine += 1 + row.reduce(0) { $0 + $1.reduce(0) { $1 == "\n" || $1 == "\r\n" ? $0 + 1 : $0 } }
            let position = "line \(line)"
            // The CSV library ends a row early when the bytes are not UTF-8: that row's line is the bad one.
            if case CSVError.unicodeDecoding? = reader.error {
                return fatal(position, nil, "is not valid UTF-8 (for a GB18030 or GBK file add --encoding gb18030)")
            }
            if row.count == 1 && row[0].trimmingCharacters(in: .whitespaces).isEmpty { continue }
            guard row.count == csvWidth else {
                return problem(position, nil, "expected \(csvWidth) fields (as the header), found \(row.count)")
            }
            do {
                let document = try CSVLayout.document(from: row, columns: csvColumns)
                return ImportRecord(position: position, document: .success(document))
            } catch let error as DocumentFieldError {
                return problem(position, error.path, error.message)
            } catch let error as DocumentProblems {
                return ImportRecord(position: position, document: .failure(ImportProblems(problems: error.problems.map {
                    ImportProblem(file: fileName, position: position, field: $0.path, message: $0.message)
                }, partial: error.partial)))
            }
        }
        if case CSVError.unicodeDecoding? = reader.error {
            return fatal("line \(csvLine)", nil, "is not valid UTF-8 (for a GB18030 or GBK file add --encoding gb18030)")
        }
        if case let CSVError.streamErrorHasOccurred(error)? = reader.error {
            return fatal("line \(csvLine)", nil, "cannot be read: \(error.localizedDescription)")
        }
        return nil
    }

    /// Opens the CSV library's reader on a file of our own and checks the header. Returns nil
    /// for an empty input, `.some(nil)` when ready, `.some(problem)` for a wrong header.
    private func openCSV() throws -> ImportRecord?? {
        let stream: InputStream
        if let data = input.remainingInMemory {
            stream = InputStream(data: data)
        } else {
            let path: String
            if let plain = input.plainUTF8File {
                path = plain
            } else {
                let url = try input.spoolToTemporaryFile()
                spooled = url
                path = url.path
            }
            guard let opened = InputStream(fileAtPath: path) else { throw CaseTrackError.input("cannot read \(fileName)") }
            stream = opened
        }
        let reader: CSVReader
        do {
            reader = try CSVReader(stream: stream, codecType: UTF8.self, hasHeaderRow: true)
        } catch {
            return .none
        }
        // The reader holds the spooled copy open: its name goes at once, so that no copy of the
        // input outlives the command, however it ends.
        if let spooled {
            try? FileManager.default.removeItem(at: spooled)
            self.spooled = nil
        }
        let header = (reader.headerRow ?? []).map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        if header.contains(where: { $0.contains("\0") }) { return .some(fatal("line 1", nil, "contains a NUL byte")) }
        switch CSVLayout.readHeader(header) {
        case let .failure(problem): return .some(fatal("line 1", problem.path, problem.message))
        case let .success(columns): csvColumns = columns
        }
        csvWidth = header.count
        csv = reader
        return .some(nil)
    }
}
