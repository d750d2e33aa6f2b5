import Foundation

/// One case with its results, in the shape `import` reads and `export` writes:
///
/// `{"city","code","year" or "opened","closed","category","name","status","source","note",
///   "arrests":[{"count","phase","date","note"}],"gangs":[{"count","name","members","date","note"}],
///   "links":[{"count","type","name","date","note"}]}`
///
/// A document states what it holds and nothing more: an absent key leaves that field (or that
/// kind of results) as the register has it, `null` clears an optional field, and a results
/// array that is present owns that kind's rows. A totals-only document (`"totals_only": true`,
/// written by `extract`, and every CSV row) states figures instead of rows: see
/// `StatedFigures`. Unknown fields are refused rather than silently dropped.
public struct CaseDocument: Sendable, Equatable {
    public var city: String
    public var code: String
    public var year: Int?
    public var opened: Stated<String> = .unstated
    public var closed: Stated<String> = .unstated
    public var category: Stated<String> = .unstated
    public var name: Stated<String> = .unstated
    public var status: Stated<String> = .unstated
    public var source: Stated<String> = .unstated
    public var note: Stated<String> = .unstated
    /// nil when the document does not state this kind of results.
    public var arrests: [ArrestEntry]?
    public var gangs: [GangEntry]?
    public var links: [LinkEntry]?
    /// Set for totals-only input: the figures it states, in place of result rows.
    public var figures: StatedFigures?

    public init(city: String, code: String, year: Int? = nil, opened: String? = nil) {
        self.city = city
        self.code = code
        self.year = year
        self.opened = opened.map(Stated.value) ?? .unstated
    }

    public struct ArrestEntry: Sendable, Equatable {
        public var count: Int
        public var phase: String?
        public var date: String?
        public var note: String?
        /// "2000余": at least `count` (extract's documents).
        public var lowerBound = false
    }

    public struct GangEntry: Sendable, Equatable {
        public var count: Int?
        public var name: String?
        public var members: Int?
        public var date: String?
        public var note: String?
        public var lowerBound = false
    }

    public struct LinkEntry: Sendable, Equatable {
        public var count: Int?
        public var type: String?
        public var name: String?
        public var date: String?
        public var note: String?
        public var lowerBound = false
    }
}

// MARK: - Reading

/// A problem with one field of a document, located by its path (`arrests[1].count`).
struct DocumentFieldError: Error {
    var path: String
    var message: String
}

/// Several problems with one document, so that a record's every fault is reported at once.
struct DocumentProblems: Error {
    var problems: [DocumentFieldError]
    /// The document as far as it could be read, so that its other fields can be checked too.
    var partial: CaseDocument?
}

/// Names in a message, quoted and cut after a few with a count of the rest.
enum ShortList {
    static func quoted(_ names: [String], limit: Int = 8) -> String {
        let shown = names.prefix(limit).map { "'\($0.preview)'" }.joined(separator: ", ")
        return names.count > limit ? shown + " and \(names.count - limit) more" : shown
    }
}

/// Any key, so that unknown fields can be found and named.
struct FieldKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// Decodes one JSON object strictly: known fields only, each of the expected JSON type.
struct StrictObject {
    let container: KeyedDecodingContainer<FieldKey>
    /// Where the object is: `base`, or `base[index]` for an array's entry (built only for a message).
    private let base: String
    private let index: Int?
    var path: String { index.map { "\(base)[\($0)]" } ?? base }

    /// Keys the object has that are not allowed (reported by the caller, with its other problems).
    let unknown: [DocumentFieldError]

    init(_ decoder: Decoder, allowed: Set<String>, path: String, reportUnknown: Bool = false, knownKeysOnly: Bool = false) throws {
        let container: KeyedDecodingContainer<FieldKey>
        do {
            container = try decoder.container(keyedBy: FieldKey.self)
        } catch {
            throw DocumentFieldError(path: path.isEmpty ? "document" : path, message: "expected a JSON object")
        }
        try self.init(container, allowed: allowed, base: path, index: nil, reportUnknown: reportUnknown, knownKeysOnly: knownKeysOnly)
    }

    /// `knownKeysOnly`: the caller's scan of the bytes found every key allowed (`JSONKeys.Scan`),
    /// so the keys are not listed again.
    private init(
        _ container: KeyedDecodingContainer<FieldKey>, allowed: Set<String>, base: String, index: Int?, reportUnknown: Bool,
        knownKeysOnly: Bool
    ) throws {
        self.container = container
        self.base = base
        self.index = index
        guard !knownKeysOnly else {
            unknown = []
            return
        }
        let path = index.map { "\(base)[\($0)]" } ?? base
        let prefix = path.isEmpty ? "" : "\(path)."
        let unknown = container.allKeys.filter { !allowed.contains($0.stringValue) }.map { key in
            DocumentFieldError(
                path: prefix + key.stringValue,
                message: "unknown field (expected one of: \(allowed.sorted().joined(separator: ", ")))")
        }
        if !reportUnknown, let first = unknown.first { throw first }
        self.unknown = unknown
    }

    func join(_ key: String) -> String {
        let path = self.path
        return path.isEmpty ? key : "\(path).\(key)"
    }

    func text(_ key: String) throws -> String? {
        do {
            // Absent or null: nil.
            return try container.decodeIfPresent(String.self, forKey: FieldKey(key))
        } catch {
            throw DocumentFieldError(path: join(key), message: "expected text in quotes")
        }
    }

    /// Absent, null or text.
    func stated(_ key: String) throws -> Stated<String> {
        let k = FieldKey(key)
        guard container.contains(k) else { return .unstated }
        return try text(key).map(Stated.value) ?? .null
    }

    /// true, false or absent (false).
    func flag(_ key: String) throws -> Bool {
        let k = FieldKey(key)
        guard container.contains(k) else { return false }
        guard let value = try? container.decode(Bool.self, forKey: k) else {
            throw DocumentFieldError(path: join(key), message: "expected true or false")
        }
        return value
    }

    func requiredText(_ key: String) throws -> String {
        guard let value = try text(key) else { throw DocumentFieldError(path: join(key), message: "is missing") }
        return value
    }

    func number(_ key: String) throws -> Int? {
        let k = FieldKey(key)
        // The common case at once; anything else is looked at again to say what is wrong.
        do { return try container.decodeIfPresent(Int.self, forKey: k) } catch {}
        guard container.contains(k), try !container.decodeNil(forKey: k) else { return nil }
        if let value = try? container.decode(Int.self, forKey: k) { return value }
        if let text = try? container.decode(String.self, forKey: k) {
            throw DocumentFieldError(path: join(key), message: "expected a whole number, found the text \"\(text.preview)\"")
        }
        if let double = try? container.decode(Double.self, forKey: k) {
            throw DocumentFieldError(
                path: join(key),
                message: double.rounded() == double ? "the number is too large" : "expected a whole number, found \(double)")
        }
        throw DocumentFieldError(path: join(key), message: "expected a whole number")
    }

    func isNumber(_ key: String) -> Bool {
        (try? container.decode(Double.self, forKey: FieldKey(key))) != nil
    }

    /// nil when the key is absent; `null` is refused, since it could mean "none" or "unknown".
    /// Each entry must be an object with only the `allowed` keys.
    func statedArray<T>(
        _ key: String, allowed: Set<String>, knownKeysOnly: Bool, _ element: (StrictObject) throws -> T
    ) throws -> [T]? {
        let k = FieldKey(key)
        guard container.contains(k) else { return nil }
        if try container.decodeNil(forKey: k) {
            throw DocumentFieldError(
                path: join(key), message: "cannot be null: give [] to remove every row of this kind, or leave the key out to keep them")
        }
        var items: UnkeyedDecodingContainer
        do {
            items = try container.nestedUnkeyedContainer(forKey: k)
        } catch {
            throw DocumentFieldError(path: join(key), message: "expected an array")
        }
        let base = join(key)
        var result: [T] = []
        while !items.isAtEnd {
            let index = items.currentIndex
            let entry: KeyedDecodingContainer<FieldKey>
            do {
                entry = try items.nestedContainer(keyedBy: FieldKey.self)
            } catch {
                throw DocumentFieldError(path: "\(base)[\(index)]", message: "expected a JSON object")
            }
            result.append(try element(StrictObject(
                entry, allowed: allowed, base: base, index: index, reportUnknown: false, knownKeysOnly: knownKeysOnly)))
        }
        return result
    }
}

/// What the reader's byte scan of a document found, for `CaseDocument.init(from:)`: set before
/// each decode by the one reader that owns the decoder.
final class DocumentScanHints: @unchecked Sendable {
    static let key = CodingUserInfoKey(rawValue: "casetrack.documentScanHints")!
    /// `JSONKeys.Scan.knownKeysOnly` of the document being decoded.
    var knownKeysOnly = false
}

extension CaseDocument: Decodable {
    static let fields: Set<String> = [
        "city", "code", "year", "opened", "closed", "category", "name", "status", "source", "note",
        "arrests", "gangs", "links", "totals_only",
        // Written by `extract` for review; not stored.
        "evidence",
    ]
    static let arrestFields: Set<String> = ["count", "phase", "date", "note", "lower_bound", "evidence"]
    static let gangFields: Set<String> = ["count", "name", "members", "date", "note", "lower_bound", "evidence"]
    static let linkFields: Set<String> = ["count", "type", "name", "date", "note", "lower_bound", "evidence"]

    public init(from decoder: Decoder) throws {
        let known = (decoder.userInfo[DocumentScanHints.key] as? DocumentScanHints)?.knownKeysOnly ?? false
        let object = try StrictObject(decoder, allowed: Self.fields, path: "", reportUnknown: true, knownKeysOnly: known)
        // Every field is read even after a bad one, so that a document's problems all show at once.
        var problems: [DocumentFieldError] = object.unknown
        func read<T>(_ body: () throws -> T) -> T? {
            do { return try body() } catch let error as DocumentFieldError { problems.append(error) } catch {}
            return nil
        }
        city = read { try object.requiredText("city") } ?? ""
        if let text = try? object.container.decode(String.self, forKey: FieldKey("code")) {
            // Text, the common case: not a number, and what `requiredText` would read.
            code = text
        } else if object.isNumber("code") {
            problems.append(DocumentFieldError(
                path: "code", message: "expected text in quotes, such as \"9.10\" (a JSON number loses a code's trailing zeros)"))
            code = ""
        } else {
            code = read { try object.requiredText("code") } ?? ""
        }
        year = read { try object.number("year") } ?? nil
        opened = read { try object.stated("opened") } ?? .unstated
        closed = read { try object.stated("closed") } ?? .unstated
        category = read { try object.stated("category") } ?? .unstated
        name = read { try object.stated("name") } ?? .unstated
        status = read { try object.stated("status") } ?? .unstated
        if status == .null {
            problems.append(DocumentFieldError(path: "status", message: "cannot be null: give \"open\" or \"closed\", or leave the key out to keep the case's status"))
        }
        source = read { try object.stated("source") } ?? .unstated
        note = read { try object.stated("note") } ?? .unstated
        arrests = read { try object.statedArray("arrests", allowed: Self.arrestFields, knownKeysOnly: known) { entry in
            guard let count = try entry.number("count") else { throw DocumentFieldError(path: entry.join("count"), message: "is missing") }
            return ArrestEntry(count: count, phase: try entry.text("phase"), date: try entry.text("date"), note: try entry.text("note"), lowerBound: try entry.flag("lower_bound"))
        } } ?? nil
        gangs = read { try object.statedArray("gangs", allowed: Self.gangFields, knownKeysOnly: known) { entry in
            GangEntry(
                count: try entry.number("count"), name: try entry.text("name"), members: try entry.number("members"),
                date: try entry.text("date"), note: try entry.text("note"), lowerBound: try entry.flag("lower_bound"))
        } } ?? nil
        links = read { try object.statedArray("links", allowed: Self.linkFields, knownKeysOnly: known) { entry in
            LinkEntry(
                count: try entry.number("count"), type: try entry.text("type"), name: try entry.text("name"),
                date: try entry.text("date"), note: try entry.text("note"), lowerBound: try entry.flag("lower_bound"))
        } } ?? nil
        if read({ try object.flag("totals_only") }) == true, let figures = read({ try statedFigures() }) { self.figures = figures }
        if !problems.isEmpty { throw DocumentProblems(problems: problems, partial: self) }
    }

    /// A totals-only document's arrays, read as the figures they state: each array states its
    /// kind's total (arrests per phase), and a kind it leaves out is not stated.
    private mutating func statedFigures() throws -> StatedFigures {
        var figures = StatedFigures()
        func add(_ figure: Figure, _ count: Int?, note: String?, lowerBound: Bool, path: String) throws {
            let value = try CaseStore.field("\(path).count") { try ResultCount.validate(count ?? 1) }
            figures.counts[figure, default: 0] += value
            if let note { figures.notes[figure] = note }
            if lowerBound { figures.lowerBounds.insert(figure) }
        }
        for (index, entry) in (arrests ?? []).enumerated() {
            let path = "arrests[\(index)]"
            let phase = try CaseStore.field("\(path).phase") { try entry.phase.map(ArrestPhase.init(parsing:)) ?? .initial }
            try add(phase == .extended ? .arrestsExtended : .arrestsInitial, entry.count, note: entry.note, lowerBound: entry.lowerBound, path: path)
        }
        for (index, entry) in (gangs ?? []).enumerated() {
            try add(.gangs, entry.count, note: entry.note, lowerBound: entry.lowerBound, path: "gangs[\(index)]")
        }
        for (index, entry) in (links ?? []).enumerated() {
            try add(.links, entry.count, note: entry.note, lowerBound: entry.lowerBound, path: "links[\(index)]")
        }
        arrests = nil
        gangs = nil
        links = nil
        return figures
    }
}

// MARK: - Writing

extension CaseDocument {
    /// The document as one line of JSON, fields in the documented order; a field it does not
    /// state is left out, one it states empty is null.
    public var jsonLine: String {
        func text(_ value: String?) -> String { value.map(JSONText.string) ?? "null" }
        func number(_ value: Int?) -> String { value.map(String.init) ?? "null" }
        func object(_ fields: [(String, String)]) -> String {
            "{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
        }
        let arrestItems = arrests?.map {
            object([("count", String($0.count)), ("phase", text($0.phase)), ("date", text($0.date)), ("note", text($0.note))])
        }
        let gangItems = gangs?.map {
            object([("count", number($0.count)), ("name", text($0.name)), ("members", number($0.members)),
                ("date", text($0.date)), ("note", text($0.note))])
        }
        let linkItems = links?.map {
            object([("count", number($0.count)), ("type", text($0.type)), ("name", text($0.name)),
                ("date", text($0.date)), ("note", text($0.note))])
        }
        func stated(_ key: String, _ value: Stated<String>) -> [(String, String)] {
            switch value {
            case .unstated: return []
            case .null: return [(key, "null")]
            case let .value(v): return [(key, text(v))]
            }
        }
        func array(_ key: String, _ items: [String]?) -> [(String, String)] {
            items.map { [(key, "[" + $0.joined(separator: ",") + "]")] } ?? []
        }
        var fields: [(String, String)] = [("city", text(city)), ("code", text(code)), ("year", number(year))]
        fields += stated("opened", opened) + stated("closed", closed) + stated("category", category) + stated("name", name)
        fields += stated("status", status) + stated("source", source) + stated("note", note)
        fields += array("arrests", arrestItems) + array("gangs", gangItems) + array("links", linkItems)
        return object(fields)
    }
}
