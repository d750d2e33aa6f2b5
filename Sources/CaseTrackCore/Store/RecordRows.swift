import GRDB

/// Writes of case and result rows, in SQL both registers take. Timestamps and change sets are
/// the database's to set (column defaults and triggers).
enum CaseRows {
    static let columns = ["city", "code", "year", "opened", "closed", "category", "name", "status", "source", "note"]

    static func values(_ record: Case) -> [DatabaseValue] {
        [record.city.databaseValue, record.code.databaseValue, record.year.databaseValue, record.opened.databaseValue,
         record.closed.databaseValue, record.category.databaseValue, record.name.databaseValue,
         record.status.rawValue.databaseValue, record.source.databaseValue, record.note.databaseValue]
    }

    /// Inserts a case; returns its id.
    static func insert(_ record: Case, _ db: some SQLSession) throws -> Int64 {
        let marks = Array(repeating: "?", count: columns.count).joined(separator: ", ")
        guard let id = try db.value(
            Int64.self, "INSERT INTO cases (\(columns.joined(separator: ", "))) VALUES (\(marks)) RETURNING id", values(record))
        else { throw CaseTrackError.storage("the database did not return the new case's id") }
        return id
    }

    static func update(_ record: Case, _ db: some SQLSession) throws {
        let assignments = columns.map { "\($0) = ?" }.joined(separator: ", ")
        try db.execute("UPDATE cases SET \(assignments) WHERE id = ?", values(record) + [record.id.databaseValue])
    }
}

/// Writes of result rows (arrests, gangs, links).
enum ResultRows {
    static func insert(_ arrest: Arrest, _ db: some SQLSession) throws -> Int64 {
        try returningId(
            db, "INSERT INTO arrests (case_id, count, phase, date, note) VALUES (?, ?, ?, ?, ?) RETURNING id",
            [arrest.caseId.databaseValue, arrest.count.databaseValue, arrest.phase.rawValue.databaseValue,
             arrest.date.databaseValue, arrest.note.databaseValue])
    }

    static func insert(_ gang: Gang, _ db: some SQLSession) throws -> Int64 {
        try returningId(
            db, "INSERT INTO gangs (case_id, count, name, members, date, note) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
            [gang.caseId.databaseValue, gang.count.databaseValue, gang.name.databaseValue, gang.members.databaseValue,
             gang.date.databaseValue, gang.note.databaseValue])
    }

    static func insert(_ link: ChainLink, _ db: some SQLSession) throws -> Int64 {
        try returningId(
            db, "INSERT INTO links (case_id, count, type, name, date, note) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
            [link.caseId.databaseValue, link.count.databaseValue, link.type.databaseValue, link.name.databaseValue,
             link.date.databaseValue, link.note.databaseValue])
    }

    private static func returningId(_ db: some SQLSession, _ sql: String, _ arguments: [DatabaseValue]) throws -> Int64 {
        guard let id = try db.value(Int64.self, sql, arguments) else {
            throw CaseTrackError.storage("the database did not return the new row's id")
        }
        return id
    }
}
