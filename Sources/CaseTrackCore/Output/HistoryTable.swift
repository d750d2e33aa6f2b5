/// The column layout of `log`: one row per field changed.
public enum HistoryTable {
    public static func make(_ entries: [HistoryEntry], forPeople: Bool) -> Table {
        var rows: [[Cell]] = []
        for entry in entries {
            let fields = entry.fields.isEmpty ? [FieldChange(field: "", before: nil, after: nil)] : entry.fields
            for (index, field) in fields.enumerated() {
                // For people, the change set and record are named once per record.
                let first = !forPeople || index == 0
                let set = entry.changeSet
                rows.append([
                    first ? .number(Int(set.id)) : .text(""),
                    first ? .text(forPeople ? String(set.at.prefix(19)).replacingOccurrences(of: "T", with: " ") : set.at) : .text(""),
                    first ? Cell(set.user) : .text(""),
                    first ? .text(set.command) : .text(""),
                    first ? .text(entry.action) : .text(""),
                    first ? .text(entry.record) : .text(""),
                    .text(field.field), Cell(field.before), Cell(field.after),
                ])
            }
        }
        return Table(columns: ["change", "at", "user", "command", "action", "record", "field", "before", "after"], rows: rows)
    }
}
