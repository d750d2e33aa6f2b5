import Foundation
import Testing

/// The per-case totals, the report rollup and the search index stay what the cases and results
/// say, whatever writes them: each test ends with what was worked out by hand and a clean `check`.
@Suite struct DerivedTotalsTests {
    func sqlite(_ ct: Casetrack, _ sql: String) throws -> Casetrack.Result {
        try ct.shell("sqlite3 '\(ct.defaultDatabase)' \"\(sql)\"")
    }

    /// The id of the change set the last write opened, as `undo` takes it.
    func newestChangeSet(_ ct: Casetrack) throws -> String {
        try sqlite(ct, "SELECT max(id) FROM change_sets").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func report(_ ct: Casetrack, by keys: String) throws -> String {
        try ct.run("report", "--by", keys, "--format", "csv").stdout
    }

    @Test func aCaseUpdateTheShellSkipsOrStopsLeavesTheFiguresWhereTheyCount() throws {
        let ct = try Casetrack()
        try ct.run("case", "add", "--city", "汉川", "--code", "6406", "--opened", "2023-02", "--category", "赌博")
        try ct.run("arrest", "add", "汉川/6406", "--count", "46", "--phase", "extended")
        let before = try report(ct, by: "month,county,category")
        #expect(before == "month,county,category,cases,arrests,arrests_initial,arrests_extended,gangs,links\n2023-02,汉川,赌博,1,46,0,46,0,0\n")
        // The opening date holds the year: the first update is skipped, the second stopped.
        _ = try sqlite(ct, "UPDATE OR IGNORE cases SET year = 2024 WHERE id = 1")
        #expect(try sqlite(ct, "UPDATE OR FAIL cases SET city = NULL WHERE id = 1").status != 0)
        _ = try sqlite(ct, "UPDATE OR IGNORE cases SET opened = '2023-13' WHERE id = 1")
        #expect(try report(ct, by: "month,county,category") == before)
        #expect(try ct.run("check").status == 0)
    }

    @Test func aCaseMovedByTheShellTakesItsFiguresToItsNewPeriodDivisionAndCategory() throws {
        let ct = try Casetrack()
        try ct.run("case", "add", "--city", "汉川", "--code", "6406", "--opened", "2023-02", "--category", "赌博")
        try ct.run("arrest", "add", "汉川/6406", "--count", "46", "--phase", "extended")
        try ct.run("gang", "add", "汉川/6406", "--count", "2", "--date", "2024-05")
        _ = try sqlite(ct, "UPDATE cases SET city = '420600', category = '毒品', opened = '2023-07' WHERE id = 1")
        #expect(try report(ct, by: "month,county,category") == """
            month,county,category,cases,arrests,arrests_initial,arrests_extended,gangs,links
            2023-07,襄阳,毒品,1,46,0,46,0,0
            2024-05,襄阳,毒品,0,0,0,0,2,0

            """)
        #expect(try sqlite(ct, "SELECT * FROM case_totals ORDER BY 1, 2").stdout == "1|2023|1|0|46|0|0\n1|2024|0|0|0|2|0\n")
        #expect(try ct.run("check").status == 0)
    }

    @Test func undoingAMoveOfAResultThatMovedAgainLaterTakesItFromTheCaseThatHoldsItNow() throws {
        let ct = try Casetrack()
        try ct.run("case", "add", "--city", "武汉", "--code", "C1", "--year", "2023")
        try ct.run("case", "add", "--city", "黄石", "--code", "C2", "--year", "2023")
        try ct.run("case", "add", "--city", "十堰", "--code", "C3", "--year", "2023")
        try ct.run("arrest", "add", "武汉/C1", "--count", "100")
        _ = try sqlite(ct, "UPDATE arrests SET case_id = 2 WHERE id = 1")
        let moved = try newestChangeSet(ct)
        try ct.run("case", "add", "--city", "十堰", "--code", "C4", "--year", "2023")
        _ = try sqlite(ct, "UPDATE arrests SET case_id = 3 WHERE id = 1")
        #expect(try ct.run("undo", moved, "--force").status == 0)
        #expect(try report(ct, by: "city") == """
            city,cases,arrests,arrests_initial,arrests_extended,gangs,links
            武汉,1,100,100,0,0,0
            黄石,1,0,0,0,0,0
            十堰,2,0,0,0,0,0

            """)
        #expect(try ct.run("check").status == 0)
    }

    @Test func undoingACategoryRenameMovesTheCasesFiledUnderItSince() throws {
        let ct = try Casetrack()
        try ct.run("case", "add", "--city", "武汉", "--code", "A", "--year", "2023", "--category", "赌博")
        try ct.run("arrest", "add", "武汉/A", "--count", "10")
        _ = try sqlite(ct, "PRAGMA foreign_keys=ON; UPDATE categories SET name = '赌博X' WHERE name = '赌博'")
        let renamed = try newestChangeSet(ct)
        try ct.run("case", "add", "--city", "黄石", "--code", "B", "--year", "2023", "--category", "赌博X")
        try ct.run("arrest", "add", "黄石/B", "--count", "20")
        #expect(try ct.run("undo", renamed).status == 0)
        #expect(try report(ct, by: "city,category") == """
            city,category,cases,arrests,arrests_initial,arrests_extended,gangs,links
            武汉,赌博,1,10,10,0,0,0
            黄石,赌博,1,20,20,0,0,0

            """)
        #expect(try ct.run("check").status == 0)
    }

    @Test func undoingARemovalCountsTheCaseOnceWhenTheShellDeletedTheIdCounter() throws {
        let ct = try Casetrack()
        try ct.run("case", "add", "--city", "武汉", "--code", "A", "--year", "2023")
        try ct.run("case", "add", "--city", "武汉", "--code", "B", "--year", "2023", "--opened", "2023-04")
        try ct.run("arrest", "add", "武汉/B", "--count", "50")
        try ct.run("case", "rm", "武汉/B", "--yes")
        _ = try sqlite(ct, "DELETE FROM sqlite_sequence WHERE name = 'cases'")
        #expect(try ct.run("undo").status == 0)
        #expect(try report(ct, by: "month") == """
            month,cases,arrests,arrests_initial,arrests_extended,gangs,links
            2023-04,1,50,50,0,0,0
            2023-unknown,1,0,0,0,0,0

            """)
        #expect(try ct.run("check").status == 0)
    }

    @Test func aWriteTheShellSkipsOrStopsLeavesTheCaseFoundBySearch() throws {
        let ct = try Casetrack()
        try ct.run("case", "add", "--city", "武汉", "--code", "A", "--year", "2023", "--name", "跑分案")
        try ct.run("gang", "add", "武汉/A", "--name", "跑分团伙")
        // A gang of 0 and a closing date before the case's year break CHECKs: each row is skipped
        // or stops its statement, after the BEFORE triggers ran.
        _ = try sqlite(ct, "INSERT OR IGNORE INTO gangs (case_id, count, name) VALUES (1, 0, '坏团伙')")
        _ = try sqlite(ct, "UPDATE OR IGNORE cases SET name = '改名', closed = '2020', status = 'closed' WHERE id = 1")
        #expect(try sqlite(ct, "UPDATE OR FAIL gangs SET name = '改', count = 0 WHERE case_id = 1").status != 0)
        #expect(try sqlite(ct, "INSERT OR FAIL INTO links (case_id, count, note) VALUES (1, -1, '坏环节')").status != 0)
        let found = try ct.run("search", "跑分团伙", "--format", "csv")
        #expect(found.status == 0 && found.stdout.contains("武汉"), "\(found.stdout)\(found.stderr)")
        #expect(try ct.run("check").status == 0)
        // The next change of the case indexes it as it then is.
        try ct.run("gang", "add", "武汉/A", "--name", "洗钱团伙")
        #expect(try ct.run("search", "洗钱团伙", "--format", "csv").stdout.contains("武汉"))
        #expect(try ct.run("check").status == 0)
    }

    /// An undo or redo that touches most cases rebuilds the rollup and the search index whole
    /// instead of moving them case by case: the reports before the import come back exactly.
    @Test func undoingAndRedoingAnImportOfMostCasesGivesBackTheReportsOnEitherSide() throws {
        let ct = try Casetrack()
        try ct.enterSeedCases()
        // Ids the shell gave: zero, below zero, and far above the rest.
        try sqlite(ct, """
            PRAGMA foreign_keys=ON;
            INSERT INTO cases (id, city, code, year, opened, category) VALUES (0, '420600', 'Z0', 2023, '2023-04', '毒品');
            INSERT INTO cases (id, city, code, year, category) VALUES (-7, '420100', 'Z7', 2021, '赌博');
            INSERT INTO cases (id, city, code, year) VALUES (200000000, '420600', 'H1', 2023);
            INSERT INTO arrests (case_id, count) VALUES (0, 11), (-7, 13), (200000000, 17);
            """)
        let keys = ["month,county,category", "year,city"]
        let before = try keys.map { try report(ct, by: $0) }
        try ct.run("import", try ct.generatedDocuments(1_500))
        let after = try keys.map { try report(ct, by: $0) }
        #expect(after != before)
        #expect(try ct.run("undo").status == 0)
        #expect(try keys.map { try report(ct, by: $0) } == before)
        let found = { try ct.run("search", "生成的专案", "--limit", "2000", "--format", "csv").stdout.split(separator: "\n").count - 1 }
        #expect(try found() == 0)
        #expect(try ct.run("check").status == 0)
        #expect(try ct.run("redo").status == 0)
        #expect(try keys.map { try report(ct, by: $0) } == after)
        #expect(try found() == 1_500)
        #expect(try ct.run("check").status == 0)
    }
}
