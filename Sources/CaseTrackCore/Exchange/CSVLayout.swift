import CSV
import Foundation

/// The CSV layout for spreadsheets: one row of totals per case.
///
/// `arrests` is the case's total and `arrests_extended` the part of it found in the extended
/// investigation (汉川"6406" is `506,169`). Importing a row turns each non-zero figure into one
/// result row; exporting sums a case's results back into the row.
public enum CSVLayout {
    public static let columns = [
        "city", "code", "opened", "category", "name", "status", "arrests", "arrests_extended", "gangs", "links",
        "source", "note",
    ]

    /// What is wrong with a header, or nil when it names exactly the layout's columns.
    static func headerProblem(_ header: [String]) -> String? {
        let expected = Set(columns)
        let given = Set(header)
        let missing = columns.filter { !given.contains($0) }
        let unknown = header.filter { !expected.contains($0) }
        let repeated = header.count != given.count
        guard !missing.isEmpty || !unknown.isEmpty || repeated else { return nil }
        var parts: [String] = []
        if !missing.isEmpty { parts.append("missing " + missing.joined(separator: ", ")) }
        if !unknown.isEmpty { parts.append("unknown " + unknown.map { "'\($0.preview)'" }.joined(separator: ", ")) }
        if repeated { parts.append("a column is repeated") }
        return "wrong CSV header (\(parts.joined(separator: "; "))); expected " + columns.joined(separator: ",")
    }

    /// Reads one row into a document.
    static func document(from row: [String], columns index: [String: Int]) throws -> CaseDocument {
        func field(_ name: String) -> String {
            index[name].map { row[$0].trimmingCharacters(in: .whitespaces) } ?? ""
        }
        func optional(_ name: String) -> String? {
            let value = field(name)
            return value.isEmpty ? nil : value
        }
        func total(_ name: String) throws -> Int {
            let text = field(name)
            if text.isEmpty { return 0 }
            if text == "0" { return 0 }
            do {
                return try ResultCount.parse(text, field: name)
            } catch {
                throw DocumentFieldError(path: name, message: "expected a whole number from 0 to 1,000,000, got '\(text.preview)'")
            }
        }
        if row.contains(where: { $0.contains("\0") }) {
            throw DocumentFieldError(path: columns[row.firstIndex { $0.contains("\0") } ?? 0], message: "contains a NUL byte")
        }
        let city = field("city")
        let code = field("code")
        guard !city.isEmpty else { throw DocumentFieldError(path: "city", message: "is empty") }
        guard !code.isEmpty else { throw DocumentFieldError(path: "code", message: "is empty") }
        let openedText = field("opened")
        guard !openedText.isEmpty else {
            throw DocumentFieldError(path: "opened", message: "is empty; give the opening date or at least the year (2023)")
        }
        var document = CaseDocument(city: city, code: code)
        if openedText.count == 4, let year = Int(openedText) {
            document.year = year
        } else {
            document.opened = openedText
        }
        document.category = optional("category")
        document.name = optional("name")
        document.status = optional("status")
        document.source = optional("source")
        document.note = optional("note")
        document.keepsClosingDate = true
        let arrests = try total("arrests")
        let extended = try total("arrests_extended")
        guard extended <= arrests else {
            throw DocumentFieldError(
                path: "arrests_extended",
                message: "\(extended) exceeds the case's total arrests (\(arrests)); arrests is the total, arrests_extended the part of it from the extended investigation")
        }
        if arrests - extended > 0 { document.arrests.append(.init(count: arrests - extended, phase: ArrestPhase.initial.rawValue)) }
        if extended > 0 { document.arrests.append(.init(count: extended, phase: ArrestPhase.extended.rawValue)) }
        let gangs = try total("gangs")
        if gangs > 0 { document.gangs.append(.init(count: gangs)) }
        let links = try total("links")
        if links > 0 { document.links.append(.init(count: links)) }
        return document
    }

    /// The CSV row of a case.
    static func row(_ summary: CaseSummary) -> [String] {
        let r = summary.record
        return [
            summary.city, r.code, r.opened ?? String(r.year), r.category ?? "", r.name ?? "", r.status.rawValue,
            String(summary.arrests), String(summary.arrestsExtended), String(summary.gangs), String(summary.links),
            r.source ?? "", r.note ?? "",
        ]
    }

    /// Encodes rows as CSV text through the CSV library, quoting commas, quotes and newlines.
    static func encode(_ rows: [[String]]) throws -> String {
        let stream = OutputStream(toMemory: ())
        let writer = try CSVWriter(stream: stream, newline: .lf)
        for row in rows { try writer.write(row: row) }
        writer.stream.close()
        let data = stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data ?? Data()
        let text = String(decoding: data, as: UTF8.self)
        return text.isEmpty || text.hasSuffix("\n") ? text : text + "\n"
    }
}
