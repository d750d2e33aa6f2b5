import Foundation

/// The column layout of `log`: one row per field changed, times in the local time zone with
/// their offset, undo rows naming the change set they reverted.
public enum HistoryTable {
    public static let columns = ["change", "at", "user", "command", "action", "record", "field", "before", "after", "reverts", "outside"]

    /// Widths for people, so that rows can be printed as they come.
    public static func streaming(_ format: OutputFormat) -> StreamingTable {
        StreamingTable(columns: columns, format: format, widths: [6, 26, 10, 40, 6, 30, 12, 24, 24, 7, 7], numeric: [0])
    }

    /// One record's change for people, git-log style, fitted to `width` columns: the change set
    /// once (its id, local time, user and command), then the record and its fields indented.
    public static func text(_ entry: HistoryEntry, opensChangeSet: Bool, width: Int, timeZone: TimeZone = .current) -> String {
        var out = ""
        let set = entry.changeSet
        if opensChangeSet {
            var command = set.undoes.map { "\(set.command)   [reverts change set \($0)]" } ?? set.command
            if set.outside { command += "   [written outside casetrack]" }
            out += "change set \(set.id)  \(localTime(set.at, in: timeZone))  \(set.user ?? "?")\n"
            out += wrap(command, indent: "    ", width: width) + "\n"
        }
        out += "  " + DisplayWidth.pad(entry.action, to: 6) + "  " + entry.record + "\n"
        let indent = "          "
        if entry.action == "update" {
            for field in entry.fields {
                out += wrap("\(field.field): \(field.before ?? "—") → \(field.after ?? "—")", indent: indent, width: width) + "\n"
            }
        } else if !entry.fields.isEmpty {
            let values = entry.fields.map { "\($0.field) \(($0.after ?? $0.before) ?? "—")" }.joined(separator: " · ")
            out += wrap(values, indent: indent, width: width) + "\n"
        }
        return out
    }

    /// Text broken into lines of at most `width` columns, each starting with `indent`.
    static func wrap(_ text: String, indent: String, width: Int) -> String {
        let room = max(20, width - DisplayWidth.of(indent))
        var lines: [String] = []
        var line = ""
        var used = 0
        for character in text.replacingOccurrences(of: "\n", with: " ") {
            let w = DisplayWidth.of(String(character))
            if used + w > room {
                lines.append(line)
                line = ""
                used = 0
            }
            line.append(character)
            used += w
        }
        lines.append(line)
        return lines.map { indent + $0 }.joined(separator: "\n")
    }

    /// The rows of one record's change.
    public static func rows(_ entry: HistoryEntry, forPeople: Bool, timeZone: TimeZone = .current) -> [[Cell]] {
        var rows: [[Cell]] = []
        let fields = entry.fields.isEmpty ? [FieldChange(field: "", before: nil, after: nil)] : entry.fields
        let set = entry.changeSet
        let command = set.command
        for (index, field) in fields.enumerated() {
            // For people, the change set and record are named once per record.
            let first = !forPeople || index == 0
            rows.append([
                first ? .number(Int(set.id)) : .text(""),
                first ? .text(localTime(set.at, in: timeZone)) : .text(""),
                first ? Cell(set.user) : .text(""),
                first ? .text(command) : .text(""),
                first ? .text(entry.action) : .text(""),
                first ? .text(entry.record) : .text(""),
                .text(field.field), Cell(field.before), Cell(field.after),
                first ? Cell(set.undoes) : .text(""), first ? .text(set.outside ? "yes" : "no") : .text(""),
            ])
        }
        return rows
    }

    /// `2026-11-29T12:35:11.123Z` → `2026-11-29 20:35:11 +08:00` in the given zone.
    public static func localTime(_ utc: String, in zone: TimeZone) -> String {
        guard let date = parser.date(from: utc) else { return utc }
        if printer.timeZone != zone { printer.timeZone = zone }
        return printer.string(from: date)
    }

    // Formatters are costly to make; `log` formats one time per record of a long history.
    nonisolated(unsafe) private static let parser: ISO8601DateFormatter = {
        let parser = ISO8601DateFormatter()
        parser.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return parser
    }()
    private static let printer: DateFormatter = {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss xxx"
        return formatter
    }()
}
