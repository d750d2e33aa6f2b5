/// What an import does with one case.
public enum ImportAction: String, Sendable {
    case create, update, unchanged
}

/// What to do when an input states a figure that differs from the register's total.
public enum ConflictPolicy: String, CaseIterable, Sendable {
    /// Refuse the whole import, listing every conflict (the default).
    case refuse
    /// Keep the register's figure and apply the rest of the input.
    case keep
    /// Take the input's figure: a higher one adds a row for the difference, a lower one
    /// replaces that figure's rows by one row.
    case file
}

/// A figure the input states differently from the register.
public struct FigureConflict: Sendable, Equatable, CustomStringConvertible {
    public var caseLabel: String
    public var figure: Figure
    public var register: Int
    /// The register's rows behind the figure, as people count them: "2 rows, 1 named".
    public var rows: String
    public var stated: Int
    /// The input gave the figure as a lower bound ("2000余").
    public var statedAtLeast = false

    /// The file's figure as people read it: 20, or ≥2000 for a lower bound.
    public var statedText: String { (statedAtLeast ? "≥" : "") + String(stated) }

    public var description: String {
        "\(caseLabel) \(figure.rawValue): register \(register) (\(rows)), file \(statedText)"
    }
}

/// What an import does (or would do) to one case, field by field and figure by figure.
public struct CaseChange: Sendable {
    public var action: ImportAction
    public var label: String
    /// Fields whose value changes (`category: 电信网络诈骗 → 诈骗`).
    public var fields: [FieldChange] = []
    /// Figures and result rows that change (`arrests_extended: 0 → 169 (+1 row)`).
    public var results: [String] = []
    /// Result rows removed, described one by one, so that nothing leaves unseen.
    public var droppedRows: [String] = []
    /// Figures that differ from the register's.
    public var conflicts: [FigureConflict] = []
    /// Conflicts left as the register has them (`ConflictPolicy.keep`).
    public var kept: [FigureConflict] = []
    /// Result rows written.
    public var rowsWritten = 0
    /// Things worth a second look that are not errors (a result dated before its case opened).
    public var warnings: [String] = []

    /// The change as lines for people: the action and the case, then one indented line per change.
    public var lines: [String] {
        var out = ["\(conflicts.isEmpty ? action.rawValue : "conflict")\t\(label)"]
        for change in fields {
            out.append("\t\(change.field): \(change.before ?? "—") → \(change.after ?? "—")")
        }
        out += results.map { "\t\($0)" }
        out += droppedRows.map { "\tdrops \($0)" }
        out += kept.map { "\tkeeps \($0.figure.rawValue): register \($0.register), file \($0.statedText)" }
        out += conflicts.map { "\tconflict \($0.figure.rawValue): register \($0.register) (\($0.rows)), file \($0.statedText)" }
        out += warnings.map { "\twarning: \($0)" }
        return out
    }
}

/// An import refused because figures in the input differ from the register's.
public struct ImportConflicts: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var conflicts: [FigureConflict]

    public var description: String {
        let count = conflicts.count
        var text = "\(file): \(count) figure\(count == 1 ? "" : "s") differ\(count == 1 ? "s" : "") from the register; nothing was imported\n"
        text += conflicts.prefix(200).map { "  \($0)" }.joined(separator: "\n")
        if count > 200 { text += "\n  … and \(count - 200) more" }
        return text
    }
}
