import GRDB

/// An administrative division (GB/T 2260): a prefecture-level city or a county-level division.
public struct City: Codable, Hashable, Sendable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "cities"

    public enum Level: String, Codable, Sendable, DatabaseValueConvertible {
        case prefecture, county
    }

    public var code: String
    public var shortName: String
    public var fullName: String
    public var pinyin: String?
    /// The prefecture a county-level division belongs to; nil for prefectures and for the
    /// divisions governed directly by the province.
    public var parent: String?
    public var level: Level

    enum CodingKeys: String, CodingKey {
        case code, pinyin, parent, level
        case shortName = "short_name"
        case fullName = "full_name"
    }

    public init(code: String, shortName: String, fullName: String, pinyin: String?, parent: String?, level: Level) {
        self.code = code
        self.shortName = shortName
        self.fullName = fullName
        self.pinyin = pinyin
        self.parent = parent
        self.level = level
    }
}

/// A named entry of a vocabulary with aliases: a case category or a chain-link type.
public struct VocabularyEntry: Hashable, Sendable {
    public var name: String
    public var aliases: [String]
}

/// The vocabularies whose entries users may extend: categories and chain-link types.
public enum Vocabulary: String, Sendable, CaseIterable {
    case category
    case linkType

    var table: String { self == .category ? "categories" : "link_types" }
    var aliasTable: String { self == .category ? "category_aliases" : "link_type_aliases" }
    var aliasColumn: String { self == .category ? "category" : "link_type" }

    func unknown(_ value: String, suggestions: [String]) -> CaseTrackError {
        self == .category
            ? .unknownCategory(value, suggestions: suggestions)
            : .unknownLinkType(value, suggestions: suggestions)
    }
}

/// Picks the known names closest to what a user typed, for "did you mean" lists.
public enum Suggestions {
    public static func closest(to typed: String, among names: [String], limit: Int = 5) -> [String] {
        let target = Array(typed.lowercased())
        guard !target.isEmpty, target.count <= 64 else { return [] }
        let scored = names.compactMap { name -> (String, Int)? in
            let candidate = Array(name.lowercased())
            let distance = editDistance(target, candidate)
            let shared = Set(target).intersection(candidate).count
            let allowed = max(1, min(target.count, candidate.count) / 2)
            guard distance <= allowed || (shared > 0 && shared * 2 >= min(target.count, candidate.count)) else {
                return nil
            }
            return (name, distance * 10 - shared)
        }
        var seen = Set<String>()
        return scored.sorted { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }
            .map(\.0).filter { seen.insert($0).inserted }.prefix(limit).map { $0 }
    }

    public static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        for (i, ca) in a.enumerated() {
            var current = [i + 1] + Array(repeating: 0, count: b.count)
            for (j, cb) in b.enumerated() {
                current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, previous[j] + (ca == cb ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
