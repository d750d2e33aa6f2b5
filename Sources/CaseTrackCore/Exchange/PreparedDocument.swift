import Foundation

/// A document checked for everything that needs no database: the draft of the fields it
/// states, and its result rows or stated figures, each value validated on its own.
struct PreparedDocument: Sendable {
    /// The city as the document wrote it, the normalised code and the year: the case's key.
    var city: String
    var code: String
    var year: Int
    /// The fields the document states (nil: not stated, "": cleared), for `CaseStore.apply`.
    var fields: CaseFields
    /// The rows of each kind the document states; link types still as written.
    var arrests: [Arrest]?
    var gangs: [Gang]?
    var links: [ChainLink]?
    /// For totals-only input, the figures it states instead of rows.
    var figures: StatedFigures?
}

extension CaseStore {
    /// Runs one check, naming the field in the problem it reports.
    static func field<T>(_ path: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as CaseTrackError {
            // The problem names its field already: "count must be…" under arrests[0].count.
            let name = path.split(separator: ".").last.map(String.init) ?? path
            var message = error.description
            if !name.isEmpty, message.hasPrefix(name + " ") { message.removeFirst(name.count + 1) }
            throw DocumentFieldError(path: path, message: message)
        }
    }

    /// A phase as `ArrestPhase(parsing:)` reads it, the two names export writes answered at once
    /// (the general reading trims and folds case through Foundation).
    static func phase(_ text: String) throws -> ArrestPhase {
        switch text {
        case "initial": return .initial
        case "extended": return .extended
        default: return try ArrestPhase(parsing: text)
        }
    }

    /// Checks every stated value of a document on its own, collecting every problem, so that a
    /// record's faults are all reported in one run. Rules that relate fields to each other or
    /// to the register (a closing date after the opening one, names in the vocabularies) are
    /// `CaseStore.apply`'s, at write time.
    static func prepare(_ document: CaseDocument, today: PartialDate = .today) throws -> PreparedDocument {
        var problems: [DocumentFieldError] = []
        func check<T>(_ path: String, _ body: () throws -> T) -> T? {
            do {
                return try field(path, body)
            } catch let error as DocumentFieldError {
                problems.append(error)
            } catch {
                problems.append(DocumentFieldError(path: path, message: "\(error)"))
            }
            return nil
        }
        let code = check("code") { try CaseCode.normalise(document.code) }
        let opened = check("opened") { try document.opened.value.map { try PartialDate(recorded: $0, field: "opened", today: today) } } ?? nil
        var year = opened?.year
        if let given = document.year {
            if !PartialDate.years.contains(given) {
                problems.append(DocumentFieldError(path: "year", message: "must be a whole number from 1949 to 2100, got \(given)"))
            } else if given > today.year {
                problems.append(DocumentFieldError(path: "year", message: "\(given) is after today (\(today)); a register records what has happened"))
            } else if let opened, opened.year != given {
                problems.append(DocumentFieldError(path: "year", message: "\(given) does not match the opening date \(opened)"))
            } else {
                year = given
            }
        }
        if year == nil, document.year == nil, document.opened.value == nil {
            problems.append(DocumentFieldError(path: "year", message: "is missing: give \"year\" or \"opened\""))
        }
        _ = check("closed") { try document.closed.value.map { try PartialDate(recorded: $0, field: "closed", today: today) } }
        _ = check("name") { try FreeText.validate(document.name.value, field: "name", maxLength: TextLimits.name) }
        _ = check("source") { try FreeText.validate(document.source.value, field: "source", maxLength: TextLimits.source) }
        _ = check("note") { try FreeText.validate(document.note.value, field: "note", maxLength: TextLimits.note) }
        _ = check("status") { try document.status.value.map(CaseStatus.init(parsing:)) }

        func date(_ path: String, _ text: String?) -> String? {
            check(path) { try text.map { try PartialDate(recorded: $0, today: today).description } } ?? nil
        }
        func note(_ path: String, _ text: String?) -> String? {
            check(path) { try FreeText.validate(text, field: "note", maxLength: TextLimits.note) } ?? nil
        }
        func name(_ path: String, _ text: String?) -> String? {
            check(path) { try FreeText.validate(text, field: "name", maxLength: TextLimits.name) } ?? nil
        }
        let arrests = document.arrests?.enumerated().map { index, entry in
            let path = "arrests[\(index)]"
            return Arrest(
                caseId: 0,
                count: check("\(path).count") { try ResultCount.validate(entry.count) } ?? 1,
                phase: check("\(path).phase") { try entry.phase.map(Self.phase) ?? .initial } ?? .initial,
                date: date("\(path).date", entry.date), note: note("\(path).note", entry.note))
        }
        let gangs = document.gangs?.enumerated().map { index, entry in
            let path = "gangs[\(index)]"
            return Gang(
                caseId: 0,
                count: check("\(path).count") { try entry.count.map { try ResultCount.validate($0) } ?? 1 } ?? 1,
                name: name("\(path).name", entry.name),
                members: check("\(path).members") { try entry.members.map { try ResultCount.validate($0, field: "members") } } ?? nil,
                date: date("\(path).date", entry.date), note: note("\(path).note", entry.note))
        }
        let links = document.links?.enumerated().map { index, entry in
            let path = "links[\(index)]"
            return ChainLink(
                caseId: 0,
                count: check("\(path).count") { try entry.count.map { try ResultCount.validate($0) } ?? 1 } ?? 1,
                type: entry.type.flatMap { $0.isEmpty ? nil : $0 },
                name: name("\(path).name", entry.name),
                date: date("\(path).date", entry.date), note: note("\(path).note", entry.note))
        }
        if !problems.isEmpty { throw DocumentProblems(problems: problems) }
        guard let code, let year else { throw DocumentProblems(problems: [DocumentFieldError(path: "year", message: "is missing")]) }

        let fields = CaseFields(
            city: document.city, code: code, opened: document.opened.draft, year: String(year),
            closed: document.closed.draft, category: document.category.draft, name: document.name.draft,
            status: document.status.draft, source: document.source.draft, note: document.note.draft)
        return PreparedDocument(
            city: document.city, code: code, year: year, fields: fields, arrests: arrests, gangs: gangs, links: links,
            figures: document.figures)
    }
}
