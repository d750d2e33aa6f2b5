/// Fitting a table for people into a terminal's width.
extension Table {
    /// The table's width as `Renderer` aligns it (columns two spaces apart).
    var alignedWidth: Int {
        let body = rows + (total.map { [$0] } ?? [])
        let widths = columns.indices.map { column in
            ([columns[column]] + body.map { $0[column].text }).map(DisplayWidth.of).max() ?? 0
        }
        return widths.reduce(0, +) + 2 * max(0, widths.count - 1)
    }

    /// The same table narrowed to `width` columns: long text is cut first (with …, never
    /// below `minimumText`), then columns are dropped in `dropOrder` until it fits. Columns not
    /// named in `dropOrder` always stay. Returns the table and the names of dropped columns.
    public func fitted(to width: Int, shorten: [String], dropOrder: [String], minimumText: Int = 8) -> (Table, [String]) {
        // Long text is cut to a readable length first, then columns go, then text is cut further.
        var table = self.cutting(shorten, to: 24)
        var dropped: [String] = []
        for name in dropOrder where table.alignedWidth > width {
            guard let index = table.columns.firstIndex(of: name) else { continue }
            table.columns.remove(at: index)
            table.rows = table.rows.map { var row = $0; row.remove(at: index); return row }
            if var total = table.total { total.remove(at: index); table.total = total }
            dropped.append(name)
        }
        var limit = 24
        while table.alignedWidth > width && limit > minimumText {
            limit -= 4
            table = table.cutting(shorten, to: limit)
        }
        return (table, dropped)
    }

    private func cutting(_ names: [String], to limit: Int) -> Table {
        var table = self
        for name in names {
            guard let index = columns.firstIndex(of: name) else { continue }
            table.rows = table.rows.map { row in
                var row = row
                if case let .text(text) = row[index], DisplayWidth.of(text) > limit {
                    row[index] = .text(DisplayWidth.cut(text, to: limit - 1) + "…")
                }
                return row
            }
        }
        return table
    }
}
