import Foundation

/// The CSV layout for spreadsheets: one row of totals per case.
///
/// `arrests` is the case's total and `arrests_extended` the part of it found in the extended
/// investigation (汉川"6406" is `506,169`). A row states only what its cells hold: an empty cell
/// (or a column the file leaves out) states nothing, so the register keeps that field or figure.
/// Headers may be the English names below, the Chinese ones spreadsheets use, or a mix.
public enum CSVLayout {
    public static let columns = [
        "city", "code", "opened", "category", "name", "status", "arrests", "arrests_extended", "gangs", "links",
        "source", "note",
    ]

    /// The Chinese header of each column, in the same order (`export --excel` writes these).
    public static let chineseColumns = [
        "城市", "编号", "立案日期", "类别", "名称", "状态", "抓获", "其中扩线深挖", "团伙", "环节", "来源", "备注",
    ]

    /// The columns a row cannot do without: they name the case.
    static let required = ["city", "code", "opened"]

    /// The column a header cell names, in English or Chinese.
    static func column(named header: String) -> String? {
        if columns.contains(header) { return header }
        let aliases: [String: String] = [
            "城市": "city", "市州": "city", "地区": "city", "编号": "code", "专案编号": "code", "立案日期": "opened",
            "立案时间": "opened", "年度": "opened", "类别": "category", "案件类别": "category", "名称": "name",
            "专案名称": "name", "状态": "status", "抓获": "arrests", "抓获人数": "arrests", "其中扩线深挖": "arrests_extended",
            "扩线深挖": "arrests_extended", "团伙": "gangs", "打掉团伙": "gangs", "环节": "links", "打掉环节": "links",
            "来源": "source", "备注": "note",
        ]
        return aliases[header]
    }

    /// The header's columns by position, or what is wrong with it.
    static func readHeader(_ header: [String]) -> Result<[String: Int], DocumentFieldError> {
        var index: [String: Int] = [:]
        var unknown: [String] = []
        var repeated: [String] = []
        for (position, cell) in header.enumerated() {
            guard let name = column(named: cell) else {
                unknown.append(cell)
                continue
            }
            if index[name] != nil { repeated.append(cell) } else { index[name] = position }
        }
        let missing = required.filter { index[$0] == nil }
        guard !missing.isEmpty || !unknown.isEmpty || !repeated.isEmpty else { return .success(index) }
        var parts: [String] = []
        if !missing.isEmpty { parts.append("missing " + missing.joined(separator: ", ")) }
        if !unknown.isEmpty { parts.append("unknown " + ShortList.quoted(unknown)) }
        if !repeated.isEmpty { parts.append("repeated " + ShortList.quoted(repeated)) }
        return .failure(DocumentFieldError(
            path: "header",
            message: "wrong CSV header (\(parts.joined(separator: "; "))); the columns are "
                + columns.joined(separator: ",") + " or " + chineseColumns.joined(separator: ",")
                + " (city, code and opened are required)"))
    }

    /// Reads one row into a totals-only document. Every problem of the row is reported.
    static func document(from row: [String], columns index: [String: Int]) throws -> CaseDocument {
        var problems: [DocumentFieldError] = []
        func field(_ name: String) -> String {
            index[name].map { $0 < row.count ? row[$0].trimmingWhitespace : "" } ?? ""
        }
        func stated(_ name: String) -> Stated<String> {
            let value = field(name)
            return value.isEmpty ? .unstated : .value(undefused(value))
        }
        func figure(_ name: String) -> Int? {
            let text = field(name)
            if text.isEmpty { return nil }
            if text == "0" { return 0 }
            do {
                return try ResultCount.parse(text, field: name)
            } catch {
                problems.append(DocumentFieldError(path: name, message: "expected a whole number from 0 to 1,000,000, got '\(text.preview)'"))
                return nil
            }
        }
        if let bad = row.firstIndex(where: { $0.utf8.contains(0) }) {
            let name = index.first { $0.value == bad }?.key ?? "field \(bad + 1)"
            throw DocumentFieldError(path: name, message: "contains a NUL byte")
        }
        let city = field("city")
        let code = unprotectedCode(field("code"))
        if city.isEmpty { problems.append(DocumentFieldError(path: "city", message: "is empty")) }
        if code.isEmpty { problems.append(DocumentFieldError(path: "code", message: "is empty")) }
        let openedText = field("opened")
        var document = CaseDocument(city: city, code: code)
        if openedText.isEmpty {
            problems.append(DocumentFieldError(path: "opened", message: "is empty; give the opening date or at least the year (2023)"))
        } else if openedText.count == 4, let year = Int(openedText) {
            // A bare year names the case's year and states no opening date.
            document.year = year
        } else {
            document.opened = .value(openedText)
        }
        document.category = stated("category")
        document.name = stated("name")
        document.status = stated("status")
        document.source = stated("source")
        document.note = stated("note")
        var figures = StatedFigures()
        let arrests = figure("arrests")
        let extended = figure("arrests_extended")
        switch (arrests, extended) {
        case let (total?, part?):
            if part > total {
                problems.append(DocumentFieldError(
                    path: "arrests_extended",
                    message: "\(part) exceeds the case's total arrests (\(total)); arrests is the total, arrests_extended the part of it from the extended investigation"))
            } else {
                figures.counts[.arrestsInitial] = total - part
                figures.counts[.arrestsExtended] = part
            }
        case let (total?, nil): figures.counts[.arrests] = total
        case let (nil, part?): figures.counts[.arrestsExtended] = part
        case (nil, nil): break
        }
        if let gangs = figure("gangs") { figures.counts[.gangs] = gangs }
        if let links = figure("links") { figures.counts[.links] = links }
        document.figures = figures
        if !problems.isEmpty { throw DocumentProblems(problems: problems, partial: document) }
        return document
    }

    /// A case code as Excel keeps it text: `="9.10"` (Excel would read 9.10 as the number 9.1,
    /// 0012 as 12 and 2024-01 as a date). The formula holds only the constant; importing reads
    /// the code back.
    static func protectedCode(_ code: String) -> String {
        code.contains("\"") ? defused(code) : "=\"\(code)\""
    }

    /// A code written by `protectedCode`, read back.
    static func unprotectedCode(_ cell: String) -> String {
        guard cell.hasPrefix("=\""), cell.hasSuffix("\""), cell.count >= 3 else { return undefused(cell) }
        return String(cell.dropFirst(2).dropLast())
    }

    /// A cell a spreadsheet would read as a formula, made text with a leading '.
    static func defused(_ cell: String) -> String {
        guard let first = cell.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) else { return cell }
        return "'" + cell
    }

    /// The text a spreadsheet export defused (`'=…`) read back as it was, so that an `--excel`
    /// export imports into its own database unchanged.
    static func undefused(_ cell: String) -> String {
        guard cell.hasPrefix("'"), let second = cell.unicodeScalars.dropFirst().first,
            ["=", "+", "-", "@", "\t", "\r"].contains(second)
        else { return cell }
        return String(cell.dropFirst())
    }

    /// The CSV row of a case.
    static func row(_ summary: CaseSummary) -> [String] {
        // Every figure is written, 0 included: an exported row states the case's totals.
        let r = summary.record
        return [
            summary.city, r.code, r.opened ?? String(r.year), r.category ?? "", r.name ?? "", r.status.rawValue,
            String(summary.arrests), String(summary.arrestsExtended), String(summary.gangs), String(summary.links),
            r.source ?? "", r.note ?? "",
        ]
    }

    /// Encodes rows as CSV text, quoting commas, quotes and line breaks.
    static func encode(_ rows: [[String]]) -> String {
        var writer = DelimitedWriter()
        for row in rows { writer.appendRow(row) }
        return writer.text
    }
}
