import GRDB

/// Where the rows a change set wrote are found.
///
/// A row carries the change set that wrote its current version. On SQLite the rows of cases
/// and their results are found through `change_set_cases`, which names the cases whose rows
/// each change set wrote (one pair per case, where an index on change_set would take an entry
/// per row), and read through each table's index on its case. A server indexes change_set
/// itself; the vocabularies are small enough to read whole.
enum ChangeSetRows {
    /// The column naming a row's case, for the tables whose rows belong to a case.
    static func caseColumn(of table: String) -> String? {
        switch table {
        case "cases": "id"
        case "arrests", "gangs", "links": "case_id"
        default: nil
        }
    }

    /// An SQL condition that holds for the rows of `table` (named `alias` in the query) that
    /// carry change set `set`.
    static func carrying(_ set: Int64, table: String, alias: String = "t", _ db: some SQLSession) -> String {
        let carries = "\(alias).change_set = \(set)"
        guard !db.isServer, let column = caseColumn(of: table) else { return carries }
        return "\(alias).\(column) IN (SELECT case_id FROM change_set_cases WHERE change_set = \(set)) AND \(carries)"
    }

    /// Names in change_set_cases every row of cases and results with its change set and case
    /// (the pairs already there are kept): the upgrade that brought the table, and `check
    /// --repair` when rows are found unnamed.
    static func nameEveryRow(_ db: Database) throws {
        // Table by table, in each table's order: the primary key drops the pairs already named,
        // with no sort of every row.
        for entry in rowTables {
            try db.execute(sql: """
                INSERT OR IGNORE INTO change_set_cases (change_set, case_id)
                SELECT change_set, \(entry.column) FROM \(entry.table) WHERE change_set IS NOT NULL
                """)
        }
    }

    /// The rows that carry a change set change_set_cases does not name with their case ("arrest
    /// 12"): a change set's undo would not find them.
    static let unnamedRowsSQL = rowTables.map { entry in
        """
        SELECT '\(entry.label) ' || t.id FROM \(entry.table) t WHERE t.change_set IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM change_set_cases p WHERE p.change_set = t.change_set AND p.case_id = t.\(entry.column))
        """
    }.joined(separator: " UNION ALL ")

    private static let rowTables = [("cases", "case"), ("arrests", "arrest"), ("gangs", "gang"), ("links", "link")].map {
        (table: $0.0, column: caseColumn(of: $0.0)!, label: $0.1)
    }
}
