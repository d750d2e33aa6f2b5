import Foundation

/// One case with its results, in the shape `import` reads and `export` writes:
///
/// `{"city","code","year" or "opened","closed","category","name","status","source","note",
///   "arrests":[{"count","phase","date","note"}],"gangs":[{"count","name","members","date","note"}],
///   "links":[{"count","type","name","date","note"}]}`
///
/// A document is the whole truth about its case: importing it sets every field and replaces
/// the case's results. Unknown fields are refused rather than silently dropped.
public struct CaseDocument: Sendable, Equatable {
    public var city: String
    public var code: String
    public var year: Int?
    public var opened: String?
    public var closed: String?
    public var category: String?
    public var name: String?
    public var status: String?
    public var source: String?
    public var note: String?
    public var arrests: [ArrestEntry] = []
    public var gangs: [GangEntry] = []
    public var links: [LinkEntry] = []
    /// CSV rows have no closing date: an imported CSV row keeps the case's existing one.
    public var keepsClosingDate = false

    public init(city: String, code: String, year: Int? = nil, opened: String? = nil) {
        self.city = city
        self.code = code
        self.year = year
        self.opened = opened
    }

    public struct ArrestEntry: Sendable, Equatable {
        public var count: Int
        public var phase: String?
        public var date: String?
        public var note: String?
    }

    public struct GangEntry: Sendable, Equatable {
        public var count: Int?
        public var name: String?
        public var members: Int?
        public var date: String?
        public var note: String?
    }

    public struct LinkEntry: Sendable, Equatable {
        public var count: Int?
        public var type: String?
        public var name: String?
        public var date: String?
        public var note: String?
    }
}

// MARK: - Reading

/// A problem with one field of a document, located by its path (`arrests[1].count`).
struct DocumentFieldError: Error {
    var path: String
    var message: String
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
    let path: String

    init(_ decoder: Decoder, allowed: Set<String>, path: String) throws {
        self.path = path
        do {
            container = try decoder.container(keyedBy: FieldKey.self)
        } catch {
            throw DocumentFieldError(path: path.isEmpty ? "document" : path, message: "expected a JSON object")
        }
        if let unknown = container.allKeys.first(where: { !allowed.contains($0.stringValue) }) {
            throw DocumentFieldError(
                path: join(unknown.stringValue),
                message: "unknown field (expected one of: \(allowed.sorted().joined(separator: ", ")))")
        }
    }

    func join(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func text(_ key: String) throws -> String? {
        let k = FieldKey(key)
        guard container.contains(k), try !container.decodeNil(forKey: k) else { return nil }
        do {
            return try container.decode(String.self, forKey: k)
        } catch {
            throw DocumentFieldError(path: join(key), message: "expected text in quotes")
        }
    }

    func requiredText(_ key: String) throws -> String {
        guard let value = try text(key) else { throw DocumentFieldError(path: join(key), message: "is missing") }
        return value
    }

    func number(_ key: String) throws -> Int? {
        let k = FieldKey(key)
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

    func array<T>(_ key: String, _ element: (Decoder, String) throws -> T) throws -> [T] {
        let k = FieldKey(key)
        guard container.contains(k), try !container.decodeNil(forKey: k) else { return [] }
        var items: UnkeyedDecodingContainer
        do {
            items = try container.nestedUnkeyedContainer(forKey: k)
        } catch {
            throw DocumentFieldError(path: join(key), message: "expected an array")
        }
        var result: [T] = []
        while !items.isAtEnd {
            let index = items.currentIndex
            let decoder = try items.superDecoder()
            result.append(try element(decoder, "\(join(key))[\(index)]"))
        }
        return result
    }
}

extension CaseDocument: Decodable {
    static let fields: Set<String> = [
        "city", "code", "year", "opened", "closed", "category", "name", "status", "source", "note",
        "arrests", "gangs", "links",
        // Written by `extract` for review; not stored.
        "evidence",
    ]

    public init(from decoder: Decoder) throws {
        let object = try StrictObject(decoder, allowed: Self.fields, path: "")
        city = try object.requiredText("city")
        if object.isNumber("code") {
            throw DocumentFieldError(
                path: "code", message: "expected text in quotes, such as \"9.10\" (a JSON number loses a code's trailing zeros)")
        }
        code = try object.requiredText("code")
        year = try object.number("year")
        opened = try object.text("opened")
        closed = try object.text("closed")
        category = try object.text("category")
        name = try object.text("name")
        status = try object.text("status")
        source = try object.text("source")
        note = try object.text("note")
        arrests = try object.array("arrests") { decoder, path in
            let entry = try StrictObject(decoder, allowed: ["count", "phase", "date", "note", "lower_bound", "evidence"], path: path)
            guard let count = try entry.number("count") else { throw DocumentFieldError(path: entry.join("count"), message: "is missing") }
            return ArrestEntry(count: count, phase: try entry.text("phase"), date: try entry.text("date"), note: try entry.text("note"))
        }
        gangs = try object.array("gangs") { decoder, path in
            let entry = try StrictObject(decoder, allowed: ["count", "name", "members", "date", "note", "lower_bound", "evidence"], path: path)
            return GangEntry(
                count: try entry.number("count"), name: try entry.text("name"), members: try entry.number("members"),
                date: try entry.text("date"), note: try entry.text("note"))
        }
        links = try object.array("links") { decoder, path in
            let entry = try StrictObject(decoder, allowed: ["count", "type", "name", "date", "note", "lower_bound", "evidence"], path: path)
            return LinkEntry(
                count: try entry.number("count"), type: try entry.text("type"), name: try entry.text("name"),
                date: try entry.text("date"), note: try entry.text("note"))
        }
    }
}

// MARK: - Writing

extension CaseDocument {
    /// The document as one line of JSON, fields in the documented order, absent values as null.
    public var jsonLine: String {
        func text(_ value: String?) -> String { value.map(JSONText.string) ?? "null" }
        func number(_ value: Int?) -> String { value.map(String.init) ?? "null" }
        func object(_ fields: [(String, String)]) -> String {
            "{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
        }
        let arrestItems = arrests.map {
            object([("count", String($0.count)), ("phase", text($0.phase)), ("date", text($0.date)), ("note", text($0.note))])
        }
        let gangItems = gangs.map {
            object([("count", number($0.count)), ("name", text($0.name)), ("members", number($0.members)),
                ("date", text($0.date)), ("note", text($0.note))])
        }
        let linkItems = links.map {
            object([("count", number($0.count)), ("type", text($0.type)), ("name", text($0.name)),
                ("date", text($0.date)), ("note", text($0.note))])
        }
        return object([
            ("city", text(city)), ("code", text(code)), ("year", number(year)), ("opened", text(opened)),
            ("closed", text(closed)), ("category", text(category)), ("name", text(name)), ("status", text(status)),
            ("source", text(source)), ("note", text(note)),
            ("arrests", "[" + arrestItems.joined(separator: ",") + "]"),
            ("gangs", "[" + gangItems.joined(separator: ",") + "]"),
            ("links", "[" + linkItems.joined(separator: ",") + "]"),
        ])
    }
}
