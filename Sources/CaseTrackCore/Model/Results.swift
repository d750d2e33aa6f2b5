import GRDB

/// Which part of the investigation an arrest batch came from.
public enum ArrestPhase: String, Codable, CaseIterable, Sendable, DatabaseValueConvertible {
    /// The initial sweep (集中收网).
    case initial
    /// The extended investigation (扩线深挖).
    case extended

    public init(parsing text: String) throws {
        let folded = text.trimmingCharacters(in: .whitespaces).lowercased()
        switch folded {
        case "initial", "首次", "集中收网", "收网": self = .initial
        case "extended", "扩线", "深挖", "扩线深挖": self = .extended
        default:
            throw CaseTrackError.invalidValue(field: "phase", value: text, expected: "initial or extended")
        }
    }
}

/// A batch of suspects arrested (抓获) in one case.
public struct Arrest: Codable, Hashable, Sendable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "arrests"
    public var id: Int64?
    public var caseId: Int64
    public var count: Int
    public var phase: ArrestPhase
    public var date: String?
    public var note: String?

    enum CodingKeys: String, CodingKey {
        case id, count, phase, date, note
        case caseId = "case_id"
    }

    public init(id: Int64? = nil, caseId: Int64, count: Int, phase: ArrestPhase = .initial, date: String? = nil, note: String? = nil) {
        self.id = id
        self.caseId = caseId
        self.count = count
        self.phase = phase
        self.date = date
        self.note = note
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// Criminal gangs dismantled (打掉犯罪团伙): one named gang, or a bulletin's total of several.
public struct Gang: Codable, Hashable, Sendable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "gangs"
    public var id: Int64?
    public var caseId: Int64
    public var count: Int
    public var name: String?
    public var members: Int?
    public var date: String?
    public var note: String?

    enum CodingKeys: String, CodingKey {
        case id, count, name, members, date, note
        case caseId = "case_id"
    }

    public init(id: Int64? = nil, caseId: Int64, count: Int = 1, name: String? = nil, members: Int? = nil, date: String? = nil, note: String? = nil) {
        self.id = id
        self.caseId = caseId
        self.count = count
        self.name = name
        self.members = members
        self.date = date
        self.note = note
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// Links of the criminal industry chain destroyed (打掉犯罪环节): lead generation, call
/// centres, card supply, money laundering…
public struct ChainLink: Codable, Hashable, Sendable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "links"
    public var id: Int64?
    public var caseId: Int64
    public var count: Int
    public var type: String?
    public var name: String?
    public var date: String?
    public var note: String?

    enum CodingKeys: String, CodingKey {
        case id, count, type, name, date, note
        case caseId = "case_id"
    }

    public init(id: Int64? = nil, caseId: Int64, count: Int = 1, type: String? = nil, name: String? = nil, date: String? = nil, note: String? = nil) {
        self.id = id
        self.caseId = caseId
        self.count = count
        self.type = type
        self.name = name
        self.date = date
        self.note = note
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// The three kinds of result a case records.
public enum ResultKind: String, CaseIterable, Sendable {
    case arrest, gang, link

    /// The table holding this kind of result.
    public var table: String {
        switch self {
        case .arrest: return Arrest.databaseTableName
        case .gang: return Gang.databaseTableName
        case .link: return ChainLink.databaseTableName
        }
    }
}
