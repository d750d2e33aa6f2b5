import Foundation
import Testing

@Suite struct SQLCommandTests {
    @Test func sqlPrintsEveryFormat() throws {
        let ct = try Casetrack()
        try ct.enterSeedCases()
        let query = "SELECT ref, prefecture, arrests FROM cases_v WHERE arrests > 200 ORDER BY id"
        let expected: [String: String] = [
            "table": "ref         prefecture  arrests\n----------  ----------  -------\n襄阳\"1.13\"  襄阳            249\n汉川\"6406\"  孝感            506\n",
            "csv": "ref,prefecture,arrests\n\"襄阳\"\"1.13\"\"\",襄阳,249\n\"汉川\"\"6406\"\"\",孝感,506\n",
            "tsv": "ref\tprefecture\tarrests\n\"襄阳\"\"1.13\"\"\"\t襄阳\t249\n\"汉川\"\"6406\"\"\"\t孝感\t506\n",
            "json": "[\n  {\"ref\":\"襄阳\\\"1.13\\\"\",\"prefecture\":\"襄阳\",\"arrests\":249},\n  {\"ref\":\"汉川\\\"6406\\\"\",\"prefecture\":\"孝感\",\"arrests\":506}\n]\n",
            "jsonl": "{\"ref\":\"襄阳\\\"1.13\\\"\",\"prefecture\":\"襄阳\",\"arrests\":249}\n{\"ref\":\"汉川\\\"6406\\\"\",\"prefecture\":\"孝感\",\"arrests\":506}\n",
            "markdown": "| ref        | prefecture | arrests |\n| ---------- | ---------- | ------: |\n| 襄阳\"1.13\" | 襄阳       |     249 |\n| 汉川\"6406\" | 孝感       |     506 |\n",
        ]
        for (format, text) in expected {
            let result = try ct.run("sql", query, "--format", format)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout == text, "\(format)")
        }
    }

    @Test func sqlReadsAFileOrStandardInput() throws {
        let ct = try Casetrack()
        try ct.enterSeedCases()
        let file = try ct.write("q.sql", "-- arrests by phase\nSELECT phase, sum(count) AS n FROM results_v WHERE kind = 'arrest' GROUP BY phase ORDER BY phase;\n")
        let expected = "phase,n\nextended,169\ninitial,783\n"
        #expect(try ct.run("sql", "-f", file, "--format", "csv").stdout == expected)
        let stdin = try ct.run(["sql", "-", "--format", "csv"], stdin: Data("SELECT phase, sum(count) AS n FROM results_v WHERE kind = 'arrest' GROUP BY phase ORDER BY phase".utf8))
        #expect(stdin.stdout == expected)
        let periods = try ct.run("sql", "SELECT period, sum(arrests) FROM totals_v GROUP BY period ORDER BY period", "--format", "csv")
        #expect(periods.stdout == "period,sum(arrests)\n2023-01,249\n2023-unknown,703\n")
    }

    @Test func everyWriteIsRefusedAndTheDatabaseStaysByteIdentical() throws {
        let ct = try Casetrack()
        try ct.enterSeedCases()
        let before = ct.databaseBytes()
        let refused: [(String, String)] = [
            ("INSERT INTO categories (name) VALUES ('x')", "Error: refused: INSERT INTO categories (name) VALUES ('x'): it would change the database; casetrack sql only reads (change the register with casetrack's own commands)\n"),
            ("UPDATE cases SET note = 'x'", "Error: refused: UPDATE cases SET note = 'x': it would change the database; casetrack sql only reads (change the register with casetrack's own commands)\n"),
            ("SELECT 1; DELETE FROM arrests", "Error: refused: DELETE FROM arrests: it would change the database; casetrack sql only reads (change the register with casetrack's own commands)\n"),
            ("CREATE TEMP TABLE t (x)", "Error: refused: CREATE TEMP TABLE t (x): it would change the database; casetrack sql only reads (change the register with casetrack's own commands)\n"),
            ("ATTACH 'other.db' AS other", "Error: refused: ATTACH 'other.db' AS other: ATTACH and DETACH are refused (casetrack sql reads this register only)\n"),
            ("PRAGMA writable_schema = 1", "Error: refused: PRAGMA writable_schema = 1: only pragmas that describe the database (such as table_info, index_list, foreign_key_list) are allowed, none that sets anything\n"),
            ("PRAGMA query_only = 0", "Error: refused: PRAGMA query_only = 0: only pragmas that describe the database (such as table_info, index_list, foreign_key_list) are allowed, none that sets anything\n"),
            ("/* c */ VACUUM INTO 'copy.db'", "Error: refused: /* c */ VACUUM INTO 'copy.db': VACUUM writes a database\n"),
            ("SELECT load_extension('libx')", "Error: refused: not authorized (casetrack sql loads no extensions and calls no function that acts outside the query)\n"),
            ("INSERT INTO case_search (case_search) VALUES ('rebuild')", "Error: refused: INSERT INTO case_search (case_search) VALUES ('rebuild'): it would change the database; casetrack sql only reads (change the register with casetrack's own commands)\n"),
        ]
        for (sql, message) in refused {
            let result = try ct.run("sql", sql)
            #expect(result.status == 1, "\(sql)")
            #expect(result.stdout == "", "\(sql)")
            #expect(result.stderr == message, "\(sql)")
            #expect(ct.databaseBytes() == before, "\(sql) changed the database")
        }
        #expect(!FileManager.default.fileExists(atPath: ct.home.appendingPathComponent("copy.db").path))
        #expect(!FileManager.default.fileExists(atPath: ct.home.appendingPathComponent("other.db").path))
        let select = try ct.run("sql", "SELECT count(*) FROM cases_v; PRAGMA table_info(cases_v)")
        #expect(select.status == 0)
        #expect(ct.databaseBytes() == before, "a SELECT changed the database")
    }

    @Test func badSQLIsAnErrorInSQLitesWords() throws {
        let ct = try Casetrack()
        try ct.enterSeedCases()
        let result = try ct.run("sql", "SELECT nosuch FROM cases_v")
        #expect(result.status == 1)
        #expect(result.stderr == "Error: SQL error: no such column: nosuch\n")
        let missing = ct.home.appendingPathComponent("none.db").path
        let none = try ct.run("sql", "SELECT 1", "--db", missing)
        #expect(none.status == 1)
        #expect(!FileManager.default.fileExists(atPath: missing))
    }
}
