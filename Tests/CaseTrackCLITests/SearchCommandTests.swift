import Foundation
import Testing

@Suite struct SearchCommandTests {
    /// The seed cases, with a gang 跑分团伙 (noted 省厅督办) in 汉川"6406" and 鄂州"9.9" noted 涉跑分平台，洗钱.
    static func register() throws -> Casetrack {
        let ct = try Casetrack()
        let seed = Casetrack.fixtures.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("seed/hubei-2023.jsonl").path
        for command in [
            ["import", seed], ["gang", "add", "汉川/6406", "--name", "跑分团伙", "--note", "省厅督办"],
            ["case", "edit", "鄂州/9.9", "--note", "涉跑分平台，洗钱"],
        ] {
            let result = try ct.run(command)
            #expect(result.status == 0, "\(command): \(result.stderr)")
        }
        return ct
    }

    @Test func searchPrintsRankedCasesWithTheWordMarkedInEveryFormat() throws {
        let ct = try Self.register()
        let expected: [String: String] = [
            "table": #"""
                rank  case        year  category      fields  match
                ----  ----------  ----  ------------  ------  ------------------
                   1  汉川"6406"  2023  电信网络诈骗  gang    [跑分]团伙
                   2  鄂州"9.9"   2023  电信网络诈骗  note    涉[跑分]平台，洗钱

                """#,
            "csv": #"""
                rank,id,case,city,code,year,category,name,status,fields,match
                1,3,"汉川""6406""",汉川,6406,2023,电信网络诈骗,"汉川""6406""专案",open,gang,[跑分]团伙
                2,2,"鄂州""9.9""",鄂州,9.9,2023,电信网络诈骗,"鄂州""9.9""诈骗案",open,note,涉[跑分]平台，洗钱

                """#,
            "tsv": #"""
                rank\#tid\#tcase\#tcity\#tcode\#tyear\#tcategory\#tname\#tstatus\#tfields\#tmatch
                1\#t3\#t"汉川""6406"""\#t汉川\#t6406\#t2023\#t电信网络诈骗\#t"汉川""6406""专案"\#topen\#tgang\#t[跑分]团伙
                2\#t2\#t"鄂州""9.9"""\#t鄂州\#t9.9\#t2023\#t电信网络诈骗\#t"鄂州""9.9""诈骗案"\#topen\#tnote\#t涉[跑分]平台，洗钱

                """#,
            "json": #"""
                [
                  {"rank":1,"id":3,"case":"汉川\"6406\"","city":"汉川","code":"6406","year":2023,"category":"电信网络诈骗","name":"汉川\"6406\"专案","status":"open","fields":"gang","match":"[跑分]团伙"},
                  {"rank":2,"id":2,"case":"鄂州\"9.9\"","city":"鄂州","code":"9.9","year":2023,"category":"电信网络诈骗","name":"鄂州\"9.9\"诈骗案","status":"open","fields":"note","match":"涉[跑分]平台，洗钱"}
                ]

                """#,
            "jsonl": #"""
                {"rank":1,"id":3,"case":"汉川\"6406\"","city":"汉川","code":"6406","year":2023,"category":"电信网络诈骗","name":"汉川\"6406\"专案","status":"open","fields":"gang","match":"[跑分]团伙"}
                {"rank":2,"id":2,"case":"鄂州\"9.9\"","city":"鄂州","code":"9.9","year":2023,"category":"电信网络诈骗","name":"鄂州\"9.9\"诈骗案","status":"open","fields":"note","match":"涉[跑分]平台，洗钱"}

                """#,
            "markdown": #"""
                | rank | case       | year | category     | fields | match                |
                | ---: | ---------- | ---: | ------------ | ------ | -------------------- |
                |    1 | 汉川"6406" | 2023 | 电信网络诈骗 | gang   | **跑分**团伙         |
                |    2 | 鄂州"9.9"  | 2023 | 电信网络诈骗 | note   | 涉**跑分**平台，洗钱 |

                """#,
        ]
        for (format, text) in expected {
            let result = try ct.run("search", "跑分", "--format", format)
            #expect(result.status == 0)
            #expect(result.stdout == text, "\(format)")
            #expect(result.stderr == "")
        }
    }

    @Test func searchTakesTheFiltersOfCaseListAndSaysWhatItLeftOut() throws {
        let ct = try Self.register()
        let xiaogan = try ct.run("search", "跑分", "--city", "孝感", "--year", "2023", "--status", "open", "--category", "电诈", "--format", "jsonl")
        #expect(xiaogan.stdout.split(separator: "\n").count == 1)
        #expect(xiaogan.stdout.contains("\"case\":\"汉川\\\"6406\\\"\""))
        let limited = try ct.run("search", "跑分", "--limit", "1", "--format", "csv")
        #expect(limited.stdout.split(separator: "\n").count == 2)
        #expect(limited.stderr == "(the best 1 of 2 matching cases; --limit N shows more)\n")
        let none = try ct.run("search", "跑分", "--year", "2020")
        #expect(none.status == 0)
        #expect(none.stderr == "no case matches\n")
    }

    @Test func wordsCombineAndMinusExcludesOnTheCommandLine() throws {
        let ct = try Self.register()
        #expect(try ct.run("search", "跑分", "-洗钱", "--format", "csv").stdout.contains("汉川"))
        #expect(!(try ct.run("search", "跑分", "-洗钱", "--format", "csv").stdout.contains("鄂州")))
        #expect(try ct.run("search", "跑分 洗钱", "--format", "csv").stdout
            == "rank,id,case,city,code,year,category,name,status,fields,match\n"
            + "2,2,\"鄂州\"\"9.9\"\"\",鄂州,9.9,2023,电信网络诈骗,\"鄂州\"\"9.9\"\"诈骗案\",open,note,涉[跑分]平台，[洗钱]\n"
                .replacingOccurrences(of: "2,2,", with: "1,2,"))
        let phrase = try ct.run("search", "\"省厅督办\"", "--format", "jsonl")
        #expect(phrase.stdout.contains("\"fields\":\"gang note\",\"match\":\"[省厅督办]\""))
    }

    @Test func aOneCharacterWordIsRefused() throws {
        let ct = try Self.register()
        let result = try ct.run("search", "跑")
        #expect(result.status == 1)
        #expect(result.stdout == "")
        #expect(result.stderr == "Error: '跑' is one character; a search word needs at least two (one Chinese character matches far too much: 跑 is in 跑分 and 逃跑 alike). Search for a word such as 跑分, or a phrase in quotes\n")
        let typo = try ct.run("search", "跑分", "--citty", "襄阳")
        #expect(typo.status != 0)
        #expect(typo.stderr.contains("Unknown option '--citty'"))
    }

    @Test func caseListSearchKeepsTheListingAndItsOrder() throws {
        let ct = try Self.register()
        let result = try ct.run("case", "list", "--search", "跑分", "--format", "csv")
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[1].hasPrefix("2,鄂州,9.9,2023,"))
        #expect(lines[2].hasPrefix("3,汉川,6406,2023,"))
        #expect(try ct.run("case", "list", "--search", "督办", "--city", "鄂州", "--format", "csv").stdout.split(separator: "\n").count == 1)
    }

    @Test func writesFromTheSqlite3ShellAreIndexedAndCheckAgrees() throws {
        let ct = try Self.register()
        let db = ct.defaultDatabase
        let shell = try ct.shell("""
            sqlite3 '\(db)' "PRAGMA foreign_keys = ON; UPDATE cases SET note = '部督养老诈骗' WHERE code = '1.13'; \
            INSERT INTO links (case_id, count, note) VALUES (2, 1, '跑分车队'); DELETE FROM gangs WHERE name = '跑分团伙';"
            """)
        #expect(shell.status == 0, "\(shell.stdout)")
        #expect(try ct.run("search", "养老诈骗", "--format", "csv").stdout.contains("1,1,\"襄阳\"\"1.13\"\"\""))
        let paofen = try ct.run("search", "跑分", "--format", "jsonl").stdout
        #expect(paofen.contains("\"match\":\"[跑分]车队\"") || paofen.contains("涉[跑分]平台"))
        #expect(!paofen.contains("汉川"))
        let check = try ct.run("check")
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
    }

    @Test func aDatabaseWithoutTheIndexGetsItOnItsNextOpen() throws {
        // A v3 database: the current one without schema.sql's "Search and views" section.
        let ct = try Self.register()
        let old = ct.defaultDatabase
        let drop = try ct.shell("""
            sqlite3 '\(old)' "$(sqlite3 '\(old)' "SELECT group_concat('DROP ' || type || ' ' || name, '; ') FROM sqlite_master \
            WHERE (name LIKE 'case_search%' AND type IN ('trigger', 'view')) OR name IN ('cases_v', 'results_v', 'totals_v')"); \
            DROP TABLE case_search_terms; DROP TABLE case_search; DELETE FROM grdb_migrations WHERE identifier = 'v4-search';"
            """)
        #expect(drop.status == 0, "\(drop.stdout)")
        #expect(try ct.shell("sqlite3 '\(old)' \"SELECT count(*) FROM sqlite_master WHERE name LIKE 'case_search%'\"").stdout == "0\n")
        #expect(try ct.run("search", "督办", "--format", "csv").stdout.contains("汉川"))
        #expect(try ct.run("check").status == 0)
        let fresh = ct.home.appendingPathComponent("fresh.db").path
        try ct.run("init", "--db", fresh)
        let schema = "SELECT type || ' ' || name || ' ' || sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name"
        let upgraded = try ct.shell("sqlite3 '\(old)' \"\(schema)\"").stdout
        let created = try ct.shell("sqlite3 '\(fresh)' \"\(schema)\"").stdout
        #expect(!upgraded.isEmpty && upgraded == created, "an upgraded database has the schema of a new one")
    }
}
