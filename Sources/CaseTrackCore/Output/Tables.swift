import Foundation

/// The column layouts of printed records. Column names are the documented JSON field names.
public enum CaseTables {
    /// Case rows: `id, city, code, year, opened, closed, category, name, status, source, note,
    /// arrests, arrests_initial, arrests_extended, gangs, links`. People get a narrower table.
    public static func list(_ cases: [CaseSummary], forPeople: Bool) -> Table {
        if forPeople {
            return Table(
                columns: ["id", "city", "code", "year", "opened", "category", "name", "status", "arrests",
                    "arrests_extended", "gangs", "links"],
                rows: cases.map { c in
                    [Cell(c.record.id), .text(c.city), .text(c.record.code), .number(c.record.year), Cell(c.record.opened),
                        Cell(c.record.category), Cell(c.record.name), .text(c.record.status.rawValue),
                        .number(c.arrests), .number(c.arrestsExtended), .number(c.gangs), .number(c.links)]
                })
        }
        return Table(columns: fullColumns, rows: cases.map(fullRow))
    }

    /// Cases ordered by one of their JSON fields (`-arrests` for descending), ties by id.
    public static func sorted(_ cases: [CaseSummary], by field: String) throws -> [CaseSummary] {
        let descending = field.hasPrefix("-")
        let name = descending ? String(field.dropFirst()) : field
        guard let index = fullColumns.firstIndex(of: name) else {
            let close = fullColumns.filter { Suggestions.editDistance(Array(name), Array($0)) <= (min(name.count, $0.count) >= 5 ? 2 : 1) }
            throw CaseTrackError.input(
                "cannot sort by '\(field.preview)'" + (close.first.map { "; did you mean \($0)?" } ?? ".")
                    + " The fields are " + fullColumns.joined(separator: ", ") + " (-FIELD for descending).")
        }
        func key(_ c: CaseSummary) -> Cell { fullRow(c)[index] }
        func less(_ a: Cell, _ b: Cell) -> Bool? {
            switch (a, b) {
            case let (.number(x), .number(y)): return x == y ? nil : x < y
            case let (.text(x), .text(y)): return x == y ? nil : x < y
            case (.null, .null): return nil
            case (.null, _): return true
            case (_, .null): return false
            default: return a.text == b.text ? nil : a.text < b.text
            }
        }
        return cases.sorted { a, b in
            if let order = less(key(a), key(b)) { return descending ? !order : order }
            return (a.record.id ?? 0) < (b.record.id ?? 0)
        }
    }

    static let fullColumns = [
        "id", "city", "code", "year", "opened", "closed", "category", "name", "status", "source", "note",
        "arrests", "arrests_initial", "arrests_extended", "gangs", "links",
    ]

    static func fullRow(_ c: CaseSummary) -> [Cell] {
        [Cell(c.record.id), .text(c.city), .text(c.record.code), .number(c.record.year), Cell(c.record.opened),
            Cell(c.record.closed), Cell(c.record.category), Cell(c.record.name), .text(c.record.status.rawValue),
            Cell(c.record.source), Cell(c.record.note), .number(c.arrests), .number(c.arrestsInitial),
            .number(c.arrestsExtended), .number(c.gangs), .number(c.links)]
    }

    /// One case as a JSON object: the case row, its timestamps and its result rows.
    public static func showJSON(_ detail: CaseDetail, pretty: Bool) -> String {
        var fields = zip(fullColumns, fullRow(detail.summary)).map { ($0, JSONText.value($1)) }
        fields.append(("created_at", JSONText.value(Cell(detail.summary.record.createdAt))))
        fields.append(("updated_at", JSONText.value(Cell(detail.summary.record.updatedAt))))
        let arrests = ResultTables.arrests(detail.arrests.map { CaseResult(caseLabel: detail.summary.label, caseId: detail.summary.record.id ?? 0, year: detail.summary.record.year, record: $0) })
        let gangs = ResultTables.gangs(detail.gangs.map { CaseResult(caseLabel: detail.summary.label, caseId: detail.summary.record.id ?? 0, year: detail.summary.record.year, record: $0) })
        let links = ResultTables.links(detail.links.map { CaseResult(caseLabel: detail.summary.label, caseId: detail.summary.record.id ?? 0, year: detail.summary.record.year, record: $0) })
        func array(_ table: Table) -> String {
            let keep = table.columns.indices.filter { table.columns[$0] != "case" }
            return "[" + table.rows.map { row in
                Renderer.jsonObject(keep.map { table.columns[$0] }, keep.map { row[$0] })
            }.joined(separator: ",") + "]"
        }
        fields.append(("results", "{\"arrests\":\(array(arrests)),\"gangs\":\(array(gangs)),\"links\":\(array(links))}"))
        fields.append((
            "last_change",
            detail.lastChange.map {
                Renderer.jsonObject(["change", "at", "user", "command"], [.number(Int($0.id)), .text($0.at), Cell($0.user), .text($0.command)])
            } ?? "null"))
        let separator = pretty ? ",\n  " : ","
        let body = fields.map { "\(JSONText.string($0.0)):\(pretty ? " " : "")\($0.1)" }.joined(separator: separator)
        return pretty ? "{\n  \(body)\n}" : "{\(body)}"
    }

    /// One case for people: its fields, totals and result rows.
    public static func showText(_ detail: CaseDetail) -> String {
        let c = detail.summary
        let r = c.record
        var lines = ["\(c.fullLabel)  (id \(c.id))"]
        var fields: [(String, String)] = [
            ("城市 city", c.city == detail.cityFullName ? c.city : "\(c.city) (\(detail.cityFullName))"
                + (c.prefecture != c.city ? ", \(c.prefecture)" : "")),
            ("编号 code", r.code), ("年度 year", String(r.year)),
        ]
        if let opened = r.opened { fields.append(("立案 opened", opened)) }
        if let closed = r.closed { fields.append(("结案 closed", closed)) }
        fields.append(("状态 status", r.status == .open ? "open 在办" : "closed 已结"))
        if let category = r.category { fields.append(("类别 category", category)) }
        if let name = r.name { fields.append(("名称 name", name)) }
        if let source = r.source { fields.append(("来源 source", source)) }
        if let note = r.note { fields.append(("备注 note", note)) }
        fields.append(("抓获 arrests", "\(c.arrests)（其中扩线深挖 \(c.arrestsExtended)）"))
        fields.append(("团伙 gangs", String(c.gangs)))
        fields.append(("环节 links", String(c.links)))
        if let created = r.createdAt { fields.append(("创建 created", created)) }
        if let updated = r.updatedAt { fields.append(("修改 updated", updated)) }
        if let change = detail.lastChange {
            fields.append(("最后变更 last change", "change set \(change.id), \(change.at) by \(change.user ?? "?"): \(change.command)"))
        }
        let width = fields.map { DisplayWidth.of($0.0) }.max() ?? 0
        lines += fields.map { "  " + DisplayWidth.pad($0.0, to: width) + "  " + $0.1 }
        let label = c.label
        for (title, table) in [
            ("Arrests 抓获", ResultTables.arrests(detail.arrests.map { CaseResult(caseLabel: label, caseId: detail.summary.record.id ?? 0, year: detail.summary.record.year, record: $0) })),
            ("Gangs 团伙", ResultTables.gangs(detail.gangs.map { CaseResult(caseLabel: label, caseId: detail.summary.record.id ?? 0, year: detail.summary.record.year, record: $0) })),
            ("Chain links 环节", ResultTables.links(detail.links.map { CaseResult(caseLabel: label, caseId: detail.summary.record.id ?? 0, year: detail.summary.record.year, record: $0) })),
        ] where !table.rows.isEmpty {
            let keep = table.columns.indices.filter { table.columns[$0] != "case" }
            let trimmed = Table(columns: keep.map { table.columns[$0] }, rows: table.rows.map { row in keep.map { row[$0] } })
            lines.append("")
            lines.append(title)
            lines += Renderer.render(trimmed, as: .table).split(separator: "\n").map { "  " + $0 }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// The column layouts of result rows.
public enum ResultTables {
    public static func arrests(_ rows: [CaseResult<Arrest>]) -> Table {
        Table(
            columns: ["id", "case", "case_id", "year", "count", "phase", "date", "note"],
            rows: rows.map { [Cell($0.record.id), .text($0.caseLabel), .number(Int($0.caseId)), .number($0.year), .number($0.record.count), .text($0.record.phase.rawValue), Cell($0.record.date), Cell($0.record.note)] })
    }

    public static func gangs(_ rows: [CaseResult<Gang>]) -> Table {
        Table(
            columns: ["id", "case", "case_id", "year", "count", "name", "members", "date", "note"],
            rows: rows.map { [Cell($0.record.id), .text($0.caseLabel), .number(Int($0.caseId)), .number($0.year), .number($0.record.count), Cell($0.record.name), Cell($0.record.members), Cell($0.record.date), Cell($0.record.note)] })
    }

    public static func links(_ rows: [CaseResult<ChainLink>]) -> Table {
        Table(
            columns: ["id", "case", "case_id", "year", "count", "type", "name", "date", "note"],
            rows: rows.map { [Cell($0.record.id), .text($0.caseLabel), .number(Int($0.caseId)), .number($0.year), .number($0.record.count), Cell($0.record.type), Cell($0.record.name), Cell($0.record.date), Cell($0.record.note)] })
    }
}

/// The column layout of reports: the keys, then `cases, arrests, arrests_initial,
/// arrests_extended, gangs, links`, with a total row for people.
public enum ReportTable {
    public static let figureColumns = ["cases", "arrests", "arrests_initial", "arrests_extended", "gangs", "links"]

    public static func make(_ report: Report, totalLabel: String = "合计 total") -> Table {
        func figures(_ f: Figures) -> [Cell] {
            [.number(f.cases), .number(f.arrests), .number(f.arrestsInitial), .number(f.arrestsExtended), .number(f.gangs), .number(f.links)]
        }
        let rows = report.rows.map { row in
            row.keys.map { key -> Cell in
                switch key {
                case let .text(text): return .text(text)
                case let .number(number): return .number(number)
                case .none: return .null
                }
            } + figures(row.figures)
        }
        let total = [Cell.text(totalLabel)] + Array(repeating: Cell.text(""), count: max(0, report.keys.count - 1)) + figures(report.total)
        return Table(columns: report.keys.map(\.rawValue) + figureColumns, rows: rows, total: total)
    }
}

/// The column layouts of the vocabularies.
public enum VocabularyTables {
    public static func cities(_ listings: [CityListing]) -> Table {
        Table(
            columns: ["code", "short_name", "full_name", "pinyin", "level", "prefecture"],
            rows: listings.map { [.text($0.city.code), .text($0.city.shortName), .text($0.city.fullName), Cell($0.city.pinyin), .text($0.city.level.rawValue), Cell($0.prefecture)] })
    }

    public static func entries(_ entries: [VocabularyEntry]) -> Table {
        Table(
            columns: ["name", "aliases"],
            rows: entries.map { [.text($0.name), .text($0.aliases.joined(separator: ", "))] })
    }
}
