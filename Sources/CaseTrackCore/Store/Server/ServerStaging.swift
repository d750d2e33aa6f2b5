import GRDB

/// The new cases and result rows of an import into a PostgreSQL register, sent with `COPY`
/// instead of one INSERT per row.
///
/// Rows are held here, sent with `COPY` into temporary tables (which no bureau's row-level
/// security applies to), then moved into the register with one `INSERT … SELECT` per table,
/// inside the import's own transaction: the register's triggers (history, totals, rollup) and
/// its row-level security and guard see every row, as they see a row written alone. A staged
/// result names its case by key (city, code, year), which finds it once it is in; cases and
/// rows take their ids in file order, as one INSERT each would give them.
final class ServerStaging {
    private let session: ServerSession
    private var cases: [[DatabaseValue]] = []
    private var results: [ResultKind: [[DatabaseValue]]] = [:]
    private var keys: Set<String> = []
    private var pending = 0
    /// Rows held before they are sent: bounds the memory of a large import.
    static let batch = 20_000

    /// True when the register held no case as the import began: then a document's case is
    /// new unless this import staged it, and the register need not be asked.
    let registerWasEmpty: Bool

    init(_ session: ServerSession) throws {
        self.session = session
        registerWasEmpty = try session.value(Bool.self, "SELECT NOT EXISTS (SELECT 1 FROM cases)") ?? false
        try session.execute(
            """
            CREATE TEMPORARY TABLE casetrack_staged_cases (
                n bigint, city text, code text, year integer, opened text, closed text, category text,
                name text, status text, source text, note text) ON COMMIT DROP
            """, [])
        for kind in ResultKind.allCases {
            try session.execute(
                "CREATE TEMPORARY TABLE casetrack_staged_\(kind.table) (n bigint, city text, code text, year integer, \(Self.columnTypes(kind))) ON COMMIT DROP", [])
        }
    }

    /// A result's columns besides its case.
    private static func columns(_ kind: ResultKind) -> [String] {
        ResultInsertion.columns(of: kind)
    }

    private static func columnTypes(_ kind: ResultKind) -> String {
        columns(kind).map { "\($0) \(["count": "integer", "members": "integer"][$0] ?? "text")" }
            .joined(separator: ", ")
    }

    /// True when this import already staged the case (city code, code, year).
    func holds(city: String, code: String, year: Int) -> Bool {
        keys.contains("\(city)\u{1}\(code)\u{1}\(year)")
    }

    /// Stages a new case.
    func stage(_ record: Case) throws {
        keys.insert("\(record.city)\u{1}\(record.code)\u{1}\(record.year)")
        cases.append([cases.count.databaseValue] + CaseRows.values(record))
        try counted()
    }

    /// Stages a result row of a staged case.
    func stage(_ insertion: ResultInsertion, of record: Case) throws {
        let row = (insertion.kind, insertion.values)
        let key = [record.city.databaseValue, record.code.databaseValue, record.year.databaseValue]
        results[row.0, default: []].append([(results[row.0]?.count ?? 0).databaseValue] + key + row.1)
        try counted()
    }

    private func counted() throws {
        pending += 1
        if pending >= Self.batch { try flush() }
    }

    /// Sends what is staged and moves it into the register: cases first (in the order staged),
    /// then their results (in file order, so that their ids follow it).
    func flush() throws {
        guard pending > 0 else { return }
        try session.copy(into: "casetrack_staged_cases", columns: ["n"] + CaseRows.columns, rows: cases)
        let list = CaseRows.columns.joined(separator: ", ")
        try session.execute("INSERT INTO cases (\(list)) SELECT \(list) FROM casetrack_staged_cases ORDER BY n", [])
        for kind in ResultKind.allCases {
            guard let rows = results[kind], !rows.isEmpty else { continue }
            let columns = Self.columns(kind)
            try session.copy(into: "casetrack_staged_\(kind.table)", columns: ["n", "city", "code", "year"] + columns, rows: rows)
            try session.execute(
                """
                INSERT INTO \(kind.table) (case_id, \(columns.joined(separator: ", ")))
                SELECT c.id, \(columns.map { "s.\($0)" }.joined(separator: ", "))
                FROM casetrack_staged_\(kind.table) s JOIN cases c ON c.city = s.city AND c.code = s.code AND c.year = s.year
                ORDER BY s.n
                """, [])
        }
        for table in ["cases"] + ResultKind.allCases.map(\.table) {
            try session.execute("TRUNCATE casetrack_staged_\(table)", [])
        }
        cases = []
        results = [:]
        pending = 0
    }
}
