/// An arrest batch as a user typed it (`arrest add`).
public struct ArrestFields: Sendable, Equatable {
    public var count: String
    public var phase: String?
    public var date: String?
    public var note: String?

    public init(count: String, phase: String? = nil, date: String? = nil, note: String? = nil) {
        self.count = count
        self.phase = phase
        self.date = date
        self.note = note
    }
}

/// A dismantled gang (or a total of several) as a user typed it (`gang add`).
public struct GangFields: Sendable, Equatable {
    public var count: String?
    public var name: String?
    public var members: String?
    public var date: String?
    public var note: String?

    public init(count: String? = nil, name: String? = nil, members: String? = nil, date: String? = nil, note: String? = nil) {
        self.count = count
        self.name = name
        self.members = members
        self.date = date
        self.note = note
    }
}

/// A destroyed chain link (or a total of several) as a user typed it (`link add`).
public struct LinkFields: Sendable, Equatable {
    public var count: String?
    public var type: String?
    public var name: String?
    public var date: String?
    public var note: String?

    public init(count: String? = nil, type: String? = nil, name: String? = nil, date: String? = nil, note: String? = nil) {
        self.count = count
        self.type = type
        self.name = name
        self.date = date
        self.note = note
    }
}

/// A result row together with the label of its case, for listings.
public struct CaseResult<Record: Sendable>: Sendable {
    /// 襄阳"1.13", with @YEAR when the city and code exist in more than one year.
    public var caseLabel: String
    public var caseId: Int64
    public var year: Int
    public var record: Record
    /// Said to the user beside the change (a result dated before its case was opened).
    public var warnings: [String] = []

    public init(caseLabel: String, caseId: Int64, year: Int, record: Record, warnings: [String] = []) {
        self.caseLabel = caseLabel
        self.caseId = caseId
        self.year = year
        self.record = record
        self.warnings = warnings
    }
}

/// Changes to one result row as a user typed them (`arrest|gang|link edit ID`): nil leaves a
/// field as it is, an empty string clears an optional one. Fields a kind does not have are
/// refused by name.
public struct ResultEdit: Sendable, Equatable {
    public var count: String?
    public var phase: String?
    public var date: String?
    public var note: String?
    public var name: String?
    public var members: String?
    public var type: String?

    public init(count: String? = nil, phase: String? = nil, date: String? = nil, note: String? = nil,
                name: String? = nil, members: String? = nil, type: String? = nil) {
        self.count = count
        self.phase = phase
        self.date = date
        self.note = note
        self.name = name
        self.members = members
        self.type = type
    }

    public var isEmpty: Bool { self == ResultEdit() }
}

/// What an edit of a result row did.
public struct ResultEditOutcome: Sendable {
    public var caseLabel: String
    public var changes: [FieldChange]
    public var warnings: [String]
}
