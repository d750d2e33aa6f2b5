/// Every error casetrack reports to a user. `description` is the exact message printed.
public enum CaseTrackError: Error, Equatable, CustomStringConvertible, Sendable {
    case invalidCount(field: String, value: String)
    case invalidDate(field: String, value: String)
    case futureDate(field: String, value: String, today: String)
    case invalidYear(String)
    case invalidCode(String)
    case invalidReference(String)
    case invalidText(field: String, reason: String)
    case invalidValue(field: String, value: String, expected: String)
    case unknownCity(String, suggestions: [String])
    case unknownCategory(String, suggestions: [String])
    case unknownLinkType(String, suggestions: [String])
    case caseNotFound(String)
    case ambiguousReference(String, candidates: [String])
    case duplicateCase(existing: String, id: Int64)
    case resultNotFound(kind: String, id: Int64)
    case vocabularyConflict(String)
    case inconsistentCase(String)
    /// A required field was not given; `field` is its name in documents (the CLI names its option).
    case missingField(field: String, what: String)
    case confirmationRequired(String)
    case notACaseTrackDatabase(path: String, reason: String)
    case noDatabase(path: String)
    case newerDatabase(path: String, unknownMigrations: [String])
    case storage(String)
    /// A server refused a write this role may not make (its message names the division).
    case notPermitted(String)
    /// A command that works on SQLite files only, run on a PostgreSQL register.
    case notOnServer(String)
    case input(String)

    public var description: String {
        switch self {
        case let .invalidCount(field, value):
            return "\(field) must be a whole number from 1 to 1,000,000, got '\(value.preview)'"
        case let .invalidDate(field, value):
            return "\(field) must be a date written YYYY, YYYY-MM or YYYY-MM-DD (2023-03-03, 2023-3-3, 2023/3/3, "
                + "2023.3.3, 20230303 or 2023年3月3日; a real calendar date between 1949 and 2100), got '\(value.preview)'"
                + (Self.dayPastMonthEnd(value).map { ": \($0)" } ?? "")
        case let .futureDate(field, value, today):
            return "\(field) \(value) is after today (\(today)); a register records what has happened"
        case let .invalidYear(value):
            return "year must be a whole number from 1949 to 2100, got '\(value.preview)'"
        case let .invalidCode(reason):
            return "invalid case code: \(reason)"
        case let .invalidReference(value):
            return "cannot read case reference '\(value.preview)': write CITY/CODE (襄阳/1.13, with @YEAR when the "
                + "code was used in several years) or the numeric case id"
        case let .invalidText(field, reason):
            return "\(field) \(reason)"
        case let .invalidValue(field, value, expected):
            return "\(field) must be \(expected), got '\(value.preview)'"
        case let .unknownCity(value, suggestions):
            return "unknown city '\(value.preview)'" + Self.closest(suggestions, list: "casetrack cities")
        case let .unknownCategory(value, suggestions):
            return "unknown category '\(value.preview)'" + Self.closest(suggestions, list: "casetrack categories")
                + "; to add it: casetrack categories add \(Actor.shellQuoted(value.preview)) (or import with --add-vocabulary)"
        case let .unknownLinkType(value, suggestions):
            return "unknown link type '\(value.preview)'" + Self.closest(suggestions, list: "casetrack link-types")
                + "; to add it: casetrack link-types add \(Actor.shellQuoted(value.preview)) (or import with --add-vocabulary)"
        case let .caseNotFound(ref):
            return "no case \(ref) (see `casetrack case list`)"
        case let .ambiguousReference(ref, candidates):
            return "\(ref) matches \(candidates.count) cases; add the year: \(candidates.joined(separator: ", "))"
        case let .duplicateCase(existing, id):
            return "case \(existing) already exists (id \(id)); use `casetrack case edit \(id)` to change it"
        case let .resultNotFound(kind, id):
            return "no \(kind) with id \(id)"
        case let .vocabularyConflict(message), let .inconsistentCase(message), let .storage(message),
            let .input(message):
            return message
        case let .notPermitted(message):
            return "\(message); nothing was written"
        case let .notOnServer(address):
            return "this command works on a SQLite register only, not yet on the PostgreSQL register \(address); "
                + "nothing was changed (`casetrack copy --from \(address) --to FILE.db` makes a SQLite copy to run it on)"
        case let .missingField(_, what):
            return what
        case let .confirmationRequired(what):
            return "refusing to \(what) without confirmation: pass --yes"
        case let .notACaseTrackDatabase(path, reason):
            return "\(path) is not a casetrack database (\(reason)); nothing was changed"
        case let .noDatabase(path):
            return "no casetrack database at \(path) (casetrack init --db \(Actor.shellQuoted(path)) creates one)"
        case let .newerDatabase(path, unknown):
            return "\(path) was written by a newer casetrack (schema \(unknown.joined(separator: ", "))); "
                + "upgrade casetrack to open it; nothing was changed"
        }
    }

    /// "February 2023 has 28 days" when `value` is a year, month and day (in any of the
    /// accepted spellings) whose day is past its month's end, the commonest wrong date.
    static func dayPastMonthEnd(_ value: String) -> String? {
        var groups = value.split(whereSeparator: { !("0"..."9").contains($0) }).map(String.init)
        if groups.count == 1, groups[0].count == 8 {
            let digits = groups[0]
            groups = [String(digits.prefix(4)), String(digits.dropFirst(4).prefix(2)), String(digits.suffix(2))]
        }
        guard groups.count == 3, groups[0].count == 4, groups[1].count <= 2, groups[2].count <= 2,
            let year = Int(groups[0]), let month = Int(groups[1]), let day = Int(groups[2]), (1...12).contains(month)
        else { return nil }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let length = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        guard day > length else { return nil }
        let names = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
        return "\(names[month - 1]) \(year) has \(length) days"
    }

    private static func closest(_ suggestions: [String], list: String) -> String {
        suggestions.isEmpty
            ? "; see `\(list)` for the known names"
            : "; closest known: \(suggestions.joined(separator: ", ")) (see `\(list)`)"
    }
}

extension String {
    /// The value as quoted in an error: control characters made visible and long text cut.
    var preview: String {
        var out = ""
        for scalar in unicodeScalars {
            if out.unicodeScalars.count >= 60 {
                out += "…"
                break
            }
            if scalar.value < 0x20 || scalar.value == 0x7F {
                out += scalar == "\0" ? "\\0" : "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
