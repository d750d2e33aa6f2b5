import GRDB

/// A case's fields as a user typed them, for `case add`, `case edit` and imports.
///
/// `nil` leaves a field as it is; an empty string clears an optional field. The store turns
/// these into a validated `Case` (see `CaseStore.apply(_:to:_:)`), so every rule about a
/// case's fields lives in one place.
public struct CaseFields: Sendable, Equatable {
    public var city: String?
    public var code: String?
    public var opened: String?
    public var year: String?
    public var closed: String?
    public var category: String?
    public var name: String?
    public var status: String?
    public var source: String?
    public var note: String?

    public init(
        city: String? = nil, code: String? = nil, opened: String? = nil, year: String? = nil,
        closed: String? = nil, category: String? = nil, name: String? = nil, status: String? = nil,
        source: String? = nil, note: String? = nil
    ) {
        self.city = city
        self.code = code
        self.opened = opened
        self.year = year
        self.closed = closed
        self.category = category
        self.name = name
        self.status = status
        self.source = source
        self.note = note
    }

    public var isEmpty: Bool { self == CaseFields() }
}

/// Limits on free text, shared by the schema's CHECKs and the messages users see.
public enum TextLimits {
    public static let name = 200
    public static let source = 500
    public static let note = 2000
}

extension CaseStore {
    /// Applies typed fields to a case (or builds a new one when `base` is nil), enforcing every
    /// rule about a case's fields.
    static func apply(_ fields: CaseFields, to base: Case?, _ db: any SQLSession, cache: VocabularyCache? = nil) throws -> Case {
        try apply(fields, to: base, vocabulary: DatabaseVocabulary(db: db, cache: cache))
    }

    /// The rules, with names looked up through `vocabulary` (which may defer the lookup, so
    /// that an import can check documents on another thread than the one writing).
    static func apply(_ fields: CaseFields, to base: Case?, vocabulary: some VocabularyLookup) throws -> Case {
        let city: String
        if let text = fields.city {
            city = try vocabulary.cityCode(text)
        } else if let base {
            city = base.city
        } else {
            throw CaseTrackError.missingField(field: "city", what: "a case needs a city")
        }
        let code: String
        if let text = fields.code {
            code = try CaseCode.normalise(text)
        } else if let base {
            code = base.code
        } else {
            throw CaseTrackError.missingField(field: "code", what: "a case needs a code, such as 1.13")
        }

        var opened = base?.opened
        if let text = fields.opened {
            opened = text.isEmpty ? nil : try PartialDate(recorded: text, field: "opened").description
        }
        let givenYear = try fields.year.flatMap { $0.isEmpty ? nil : try StatisticalYear.parse($0) }
        let year: Int
        if let openedDate = opened.flatMap({ try? PartialDate(parsing: $0) }) {
            if let givenYear, givenYear != openedDate.year {
                if fields.opened != nil || base == nil {
                    throw CaseTrackError.inconsistentCase(
                        "the year \(givenYear) does not match the opening date \(openedDate); the statistical year is the year a case was opened")
                }
                throw CaseTrackError.inconsistentCase(
                    "the case was opened on \(openedDate); to move it to \(givenYear) change its opening date as well (or clear it)")
            }
            year = openedDate.year
        } else if let givenYear {
            year = givenYear
        } else if let base {
            year = base.year
        } else {
            throw CaseTrackError.missingField(field: "opened", what: "a case needs its opening date (opened) or its year (year)")
        }

        if year != base?.year { try StatisticalYear.checkRecorded(year) }

        var closed = base?.closed
        if let text = fields.closed {
            closed = text.isEmpty ? nil : try PartialDate(recorded: text, field: "closed").description
        }
        var status = base?.status ?? .open
        if let text = fields.status {
            status = try CaseStatus(parsing: text)
        } else if fields.closed != nil, closed != nil {
            status = .closed
        }
        if let closedDate = closed {
            guard status == .closed else {
                throw CaseTrackError.inconsistentCase(
                    "an open case cannot have a closing date (\(closedDate)); clear the closing date as well")
            }
            if let closedYear = Int(closedDate.prefix(4)), closedYear < year {
                throw CaseTrackError.inconsistentCase("the case cannot close (\(closedDate)) before its year \(year)")
            }
            if let opened, closedDate < String(opened.prefix(closedDate.count)) {
                throw CaseTrackError.inconsistentCase("the case cannot close (\(closedDate)) before it opened (\(opened))")
            }
        }

        var category = base?.category
        if let text = fields.category {
            category = text.isEmpty ? nil : try vocabulary.category(text)
        }
        var result = Case(
            id: base?.id, city: city, code: code, year: year, opened: opened, closed: closed,
            category: category, name: base?.name, status: status, source: base?.source, note: base?.note)
        if let text = fields.name { result.name = try FreeText.validate(text, field: "name", maxLength: TextLimits.name) }
        if let text = fields.source { result.source = try FreeText.validate(text, field: "source", maxLength: TextLimits.source) }
        if let text = fields.note { result.note = try FreeText.validate(text, field: "note", maxLength: TextLimits.note) }
        result.createdAt = base?.createdAt
        result.updatedAt = base?.updatedAt
        return result
    }
}

/// How case rules look up the names of cities and categories.
protocol VocabularyLookup {
    /// The GB/T 2260 code of the division a user named.
    func cityCode(_ text: String) throws -> String
    /// The canonical name of the category a user named.
    func category(_ text: String) throws -> String
}

/// Looks names up in the database.
struct DatabaseVocabulary: VocabularyLookup {
    let db: any SQLSession
    let cache: VocabularyCache?

    func cityCode(_ text: String) throws -> String { try CaseStore.resolveCity(text, db, cache: cache).code }
    func category(_ text: String) throws -> String { try CaseStore.resolve(text, in: .category, db, cache: cache) }
}

/// Leaves names as written, for checks that run before the database is at hand.
struct DeferredVocabulary: VocabularyLookup {
    func cityCode(_ text: String) throws -> String { text }
    func category(_ text: String) throws -> String { text }
}
