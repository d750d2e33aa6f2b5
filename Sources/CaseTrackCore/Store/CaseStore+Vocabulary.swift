import Foundation
import GRDB

/// A division with the short name of its prefecture, as listed by `casetrack cities`.
public struct CityListing: Sendable, Hashable {
    public var city: City
    public var prefecture: String?
}

/// Names already resolved during one long write (an import), so that each distinct city,
/// category or link type is looked up once.
final class VocabularyCache {
    var cities: [String: City] = [:]
    var names: [Vocabulary: [String: String]] = [:]
}

extension CaseStore {
    // MARK: - Cities

    /// Finds a division by short name (襄阳), full name (襄阳市), pinyin (xiangyang), GB/T 2260
    /// code (420600) or alias (襄樊).
    public func city(named text: String) throws -> City {
        try readSession { db in try Self.resolveCity(text, db) }
    }

    static func resolveCity(_ text: String, _ db: some SQLSession, cache: VocabularyCache? = nil) throws -> City {
        if let cached = cache?.cities[text] { return cached }
        let name = text.precomposedStringWithCompatibilityMapping.trimmingCharacters(in: .whitespaces)
        let arguments = Array(repeating: name.databaseValue, count: 5)
        // Pinyin and aliases are matched without regard to case (COLLATE NOCASE on SQLite).
        if let row = try db.row(
            """
            SELECT code, short_name, full_name, pinyin, parent, level FROM cities
            WHERE code = ? OR short_name = ? OR full_name = ? OR lower(pinyin) = lower(?)
            UNION ALL
            SELECT c.code, c.short_name, c.full_name, c.pinyin, c.parent, c.level
            FROM city_aliases a JOIN cities c ON c.code = a.city WHERE lower(a.alias) = lower(?)
            LIMIT 1
            """, arguments)
        {
            let city = try City(row: row)
            cache?.cities[text] = city
            return city
        }
        let names = try db.values(
            String.self, "SELECT short_name FROM cities UNION ALL SELECT pinyin FROM cities WHERE pinyin IS NOT NULL UNION ALL SELECT alias FROM city_aliases")
        let closest = Suggestions.closest(to: name, among: names)
        // Pinyin suggestions are shown with the Chinese name they stand for.
        let labelled = try closest.map { suggestion -> String in
            if suggestion.allSatisfy(\.isASCII),
                let short = try db.value(String.self, "SELECT short_name FROM cities WHERE lower(pinyin) = lower(?)", [suggestion.databaseValue])
            {
                return "\(short) (\(suggestion))"
            }
            return suggestion
        }
        throw CaseTrackError.unknownCity(text, suggestions: labelled)
    }

    /// Every division, prefectures first in GB/T 2260 order, each followed by its counties.
    public func cities(under prefecture: String? = nil) throws -> [CityListing] {
        try readSession { db in
            var sql = """
                SELECT c.code, c.short_name, c.full_name, c.pinyin, c.parent, c.level, p.short_name AS prefecture
                FROM cities c LEFT JOIN cities p ON p.code = c.parent
                """
            var arguments: [DatabaseValue] = []
            if let prefecture {
                let city = try Self.resolveCity(prefecture, db)
                sql += " WHERE c.code = ? OR c.parent = ?"
                arguments = [city.code.databaseValue, city.code.databaseValue]
            }
            sql += " ORDER BY coalesce(c.parent, c.code), c.parent IS NOT NULL, c.code"
            return try db.rows(sql, arguments).map {
                CityListing(city: try City(row: $0), prefecture: $0["prefecture"])
            }
        }
    }

    /// Adds a division to the vocabulary.
    @discardableResult
    public func addCity(code: String, shortName: String, fullName: String?, pinyin: String?, parent: String?) throws -> City {
        let code = code.precomposedStringWithCompatibilityMapping.trimmingCharacters(in: .whitespaces)
        guard code.count == 6, code.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw CaseTrackError.invalidValue(field: "code", value: code, expected: "a six-digit GB/T 2260 code")
        }
        guard let short = try FreeText.validate(shortName, field: "name", maxLength: 32) else {
            throw CaseTrackError.invalidText(field: "name", reason: "must not be empty")
        }
        let full = try FreeText.validate(fullName, field: "full name", maxLength: 64) ?? short
        var pinyinValue: String?
        if let pinyin, !pinyin.isEmpty {
            let lowered = pinyin.lowercased()
            guard lowered.allSatisfy({ $0.isASCII && $0.isLetter }) else {
                throw CaseTrackError.invalidValue(field: "pinyin", value: pinyin, expected: "letters a–z without tones or spaces")
            }
            pinyinValue = lowered
        }
        return try writeSession { db in
            for name in [code, short, full] + (pinyinValue.map { [$0] } ?? []) {
                if let existing = try? Self.resolveCity(name, db) {
                    throw CaseTrackError.vocabularyConflict("'\(name)' already names \(existing.fullName) (\(existing.code))")
                }
            }
            var parentCode: String?
            if let parent, !parent.isEmpty {
                let parentCity = try Self.resolveCity(parent, db)
                guard parentCity.level == .prefecture else {
                    throw CaseTrackError.vocabularyConflict("\(parentCity.fullName) is not a prefecture-level city")
                }
                parentCode = parentCity.code
            }
            let city = City(
                code: code, shortName: short, fullName: full, pinyin: pinyinValue, parent: parentCode,
                level: parentCode == nil && code.hasSuffix("00") ? .prefecture : .county)
            try db.execute(
                "INSERT INTO cities (code, short_name, full_name, pinyin, parent, level) VALUES (?, ?, ?, ?, ?, ?)",
                [city.code.databaseValue, city.shortName.databaseValue, city.fullName.databaseValue, city.pinyin.databaseValue,
                 city.parent.databaseValue, city.level.rawValue.databaseValue])
            return city
        }
    }

    // MARK: - Categories and chain-link types

    /// Resolves a category or link type by its name or one of its aliases.
    public func resolve(_ text: String, in vocabulary: Vocabulary) throws -> String {
        try readSession { db in try Self.resolve(text, in: vocabulary, db) }
    }

    static func resolve(_ text: String, in vocabulary: Vocabulary, _ db: some SQLSession, cache: VocabularyCache? = nil) throws -> String {
        if let cached = cache?.names[vocabulary]?[text] { return cached }
        let name = text.precomposedStringWithCompatibilityMapping.trimmingCharacters(in: .whitespaces)
        if let found = try db.value(
            String.self,
            """
            SELECT name FROM \(vocabulary.table) WHERE name = ?
            UNION ALL SELECT \(vocabulary.aliasColumn) FROM \(vocabulary.aliasTable) WHERE lower(alias) = lower(?)
            LIMIT 1
            """, [name.databaseValue, name.databaseValue])
        {
            cache?.names[vocabulary, default: [:]][text] = found
            return found
        }
        let names = try db.values(
            String.self, "SELECT name FROM \(vocabulary.table) UNION ALL SELECT alias FROM \(vocabulary.aliasTable)")
        throw vocabulary.unknown(text, suggestions: Suggestions.closest(to: name, among: names))
    }

    /// The entries of a vocabulary with their aliases, in the order they were added.
    public func entries(of vocabulary: Vocabulary) throws -> [VocabularyEntry] {
        try readSession { db in
            // Names in the order they were added (SQLite's rowid, the server's row_id); aliases in
            // the order of SQLite's alias index (case-folded ASCII, then bytes).
            let order = db.isServer ? "row_id" : "rowid"
            let aliases = db.isServer ? "string_agg(a.alias, ',' ORDER BY lower(a.alias) COLLATE \"C\")" : "group_concat(a.alias, ',')"
            return try db.rows(
                """
                SELECT v.name, \(aliases) AS aliases
                FROM \(vocabulary.table) v LEFT JOIN \(vocabulary.aliasTable) a ON a.\(vocabulary.aliasColumn) = v.name
                GROUP BY v.name ORDER BY min(v.\(order))
                """, []
            ).map { row in
                let aliases: String? = row["aliases"]
                return VocabularyEntry(name: row["name"], aliases: aliases?.split(separator: ",").map(String.init) ?? [])
            }
        }
    }

    /// Adds a name to a vocabulary (or aliases to an existing name).
    @discardableResult
    public func addEntry(_ name: String, aliases: [String], to vocabulary: Vocabulary) throws -> VocabularyEntry {
        guard let name = try FreeText.validate(name, field: "name", maxLength: 32) else {
            throw CaseTrackError.invalidText(field: "name", reason: "must not be empty")
        }
        let aliases = try aliases.compactMap { try FreeText.validate($0, field: "alias", maxLength: 32) }
        return try writeSession { db in
            let exists = try db.value(Bool.self, "SELECT EXISTS (SELECT 1 FROM \(vocabulary.table) WHERE name = ?)", [name.databaseValue]) ?? false
            if !exists {
                if let owner = try? Self.resolve(name, in: vocabulary, db) {
                    throw CaseTrackError.vocabularyConflict("'\(name)' is already an alias of \(owner)")
                }
                try db.execute("INSERT INTO \(vocabulary.table) (name) VALUES (?)", [name.databaseValue])
            } else if aliases.isEmpty {
                throw CaseTrackError.vocabularyConflict("'\(name)' is already known")
            }
            for alias in aliases where alias != name {
                if let owner = try? Self.resolve(alias, in: vocabulary, db) {
                    throw CaseTrackError.vocabularyConflict("'\(alias)' already stands for \(owner)")
                }
                try db.execute(
                    "INSERT INTO \(vocabulary.aliasTable) (alias, \(vocabulary.aliasColumn)) VALUES (?, ?)",
                    [alias.databaseValue, name.databaseValue])
            }
            let all = try db.values(
                String.self,
                "SELECT alias FROM \(vocabulary.aliasTable) WHERE \(vocabulary.aliasColumn) = ? ORDER BY \(db.isServer ? "row_id" : "rowid")",
                [name.databaseValue])
            return VocabularyEntry(name: name, aliases: all)
        }
    }
}
