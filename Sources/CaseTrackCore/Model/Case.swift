import GRDB

/// Whether a case is still being worked.
public enum CaseStatus: String, Codable, CaseIterable, Sendable, DatabaseValueConvertible {
    case open
    case closed

    /// Reads a status as users and spreadsheets write it: open/closed, 在办/已结 (and 办结, 结案).
    public init(parsing text: String) throws {
        switch text.trimmingCharacters(in: .whitespaces).lowercased() {
        case "open", "在办", "未结", "侦办中": self = .open
        case "closed", "已结", "办结", "结案", "已结案": self = .closed
        default: throw CaseTrackError.invalidValue(field: "status", value: text, expected: "open (在办) or closed (已结)")
        }
    }
}

/// A special case (专案), as stored in the `cases` table.
///
/// `city` holds the division's GB/T 2260 code; dates are `PartialDate` text.
public struct Case: Codable, Hashable, Sendable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "cases"

    public var id: Int64?
    public var city: String
    public var code: String
    public var year: Int
    public var opened: String?
    public var closed: String?
    public var category: String?
    public var name: String?
    public var status: CaseStatus
    public var source: String?
    public var note: String?
    public var createdAt: String?
    public var updatedAt: String?

    enum CodingKeys: String, CodingKey {
        case id, city, code, year, opened, closed, category, name, status, source, note
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let city = Column(CodingKeys.city)
        public static let code = Column(CodingKeys.code)
        public static let year = Column(CodingKeys.year)
    }

    public init(
        id: Int64? = nil, city: String, code: String, year: Int, opened: String? = nil,
        closed: String? = nil, category: String? = nil, name: String? = nil,
        status: CaseStatus = .open, source: String? = nil, note: String? = nil
    ) {
        self.id = id
        self.city = city
        self.code = code
        self.year = year
        self.opened = opened
        self.closed = closed
        self.category = category
        self.name = name
        self.status = status
        self.source = source
        self.note = note
    }

    /// Timestamps are the database's to set (column defaults and the `cases_touch` trigger).
    public func encode(to container: inout PersistenceContainer) {
        container[CodingKeys.id.rawValue] = id
        container[CodingKeys.city.rawValue] = city
        container[CodingKeys.code.rawValue] = code
        container[CodingKeys.year.rawValue] = year
        container[CodingKeys.opened.rawValue] = opened
        container[CodingKeys.closed.rawValue] = closed
        container[CodingKeys.category.rawValue] = category
        container[CodingKeys.name.rawValue] = name
        container[CodingKeys.status.rawValue] = status
        container[CodingKeys.source.rawValue] = source
        container[CodingKeys.note.rawValue] = note
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    /// Read by column name rather than through Decodable: listings read thousands of rows.
    public init(row: Row) throws {
        id = row[CodingKeys.id.rawValue]
        city = row[CodingKeys.city.rawValue]
        code = row[CodingKeys.code.rawValue]
        year = row[CodingKeys.year.rawValue]
        opened = row[CodingKeys.opened.rawValue]
        closed = row[CodingKeys.closed.rawValue]
        category = row[CodingKeys.category.rawValue]
        name = row[CodingKeys.name.rawValue]
        guard let status = CaseStatus(rawValue: row[CodingKeys.status.rawValue] ?? "") else {
            throw CaseTrackError.storage("case \(id ?? 0) has an unknown status")
        }
        self.status = status
        source = row[CodingKeys.source.rawValue]
        note = row[CodingKeys.note.rawValue]
        createdAt = row[CodingKeys.createdAt.rawValue]
        updatedAt = row[CodingKeys.updatedAt.rawValue]
    }
}
