import Foundation
import Testing

/// The shared register: the same commands on a PostgreSQL server as on an SQLite file, bureau
/// write rights, concurrent writers, and a client killed mid-import. Needs the throw-away server
/// `make test` starts; without one the suite is skipped with the reason.
@Suite(.enabled(if: TestServer.available, TestServer.skipReason), .serialized)
struct PostgresRegisterTests {
    /// What the README's tour and its mistakes print, command by command, on either register.
    static let tour: [[String]] = [
        ["case", "add", "--city", "襄阳", "--code", "1.13", "--opened", "2023-01-13", "--category", "电诈", "--name", "跑分案"],
        ["arrest", "add", "襄阳/1.13", "--count", "57", "--date", "2023-02"],
        ["arrest", "add", "襄阳“1.13”", "--count", "17", "--phase", "extended"],
        ["gang", "add", "襄阳/1.13", "--count", "2", "--name", "跑分团伙"],
        ["link", "add", "襄阳/1.13", "--count", "3", "--type", "跑分"],
        ["case", "add", "--city", "汉川", "--code", "6406", "--year", "2022"],
        ["arrest", "add", "汉川6406", "--count", "40"],
        ["case", "list"],
        ["case", "list", "--format", "json"],
        ["arrest", "list"],
        ["gang", "list", "--format", "csv"],
        ["report", "--by", "city,year"],
        ["report", "--by", "month", "--format", "csv"],
        ["report", "--by", "county", "--from", "2023-01-01", "--to", "2023-01-31"],
        ["summary", "--year", "2023"],
        ["summary", "--year", "2023", "--lang", "en", "--format", "json"],
        ["summary", "--from", "2022", "--to", "2023", "--format", "markdown"],
        ["import", "SEED"],
        ["import", "SEED"],
        // Text COPY must carry as it is: line breaks, tabs, backslashes, a literal \N.
        ["import", "ODD"],
        ["case", "show", "十堰/5.5"],
        ["import", "DUP"],
        ["case", "edit", "汉川/6406", "--note", "扩线深挖"],
        ["case", "edit", "汉川/6406", "--note", "扩线深挖"],
        ["export"],
        ["export", "--format", "csv"],
        ["case", "rm", "鄂州/9.9", "--yes"],
        ["cities", "--under", "襄阳"],
        ["categories", "list"],
        ["link-types", "list", "--format", "json"],
        ["gang", "edit", "1", "--name", "跑分团伙一"],
        ["report", "--by", "city"],
        // Search: the same cases in the same order (words of three characters or more rank alike).
        ["search", "诈骗案"],
        ["search", "湖北日报", "-汉川", "--format", "json"],
        ["search", "跑分团伙"],
        ["case", "list", "--search", "电信网络诈骗", "--format", "csv"],
        ["search", "跑"],
        // Undo and redo: the gang's new name, then the removal of 鄂州"9.9" with its results.
        ["undo", "--dry-run"],
        ["undo"],
        ["undo"],
        ["case", "show", "鄂州/9.9"],
        ["report", "--by", "city"],
        ["redo", "--dry-run"],
        ["redo"],
        ["export"],
        ["undo", "1"],
        ["undo", "99999"],
        ["redo"],
        ["redo"],
        // The vocabularies grow, and an addition is undone like any change.
        ["categories", "add", "网络黑产", "--alias", "黑产", "--alias", "黑灰产"],
        ["cities", "add", "--code", "420699", "--name", "测试区", "--parent", "襄阳", "--pinyin", "ceshiqu"],
        ["link-types", "add", "地下钱庄"],
        ["categories", "add", "网络黑产"],
        ["cities", "add", "--code", "420698", "--name", "襄阳"],
        ["undo"],
        ["cities", "--under", "襄阳"],
        ["categories", "list", "--format", "csv"],
        // Mistakes: the same refusal, word for word, and the same exit code.
        ["case", "show", "襄阳/9.99"],
        ["case", "add", "--city", "襄阳", "--code", "1.13", "--year", "2023"],
        ["arrest", "add", "武昌/1", "--count", "1"],
        ["arrest", "add", "襄阳/1.13", "--count", "0"],
        ["case", "add", "--city", "襄阳", "--code", "2.2", "--opened", "2099-01-01"],
        ["import", "BAD"],
        ["gang", "rm", "999", "--yes"],
    ]

    @Test func theTourPrintsTheSameOnAServerAsOnAFile() throws {
        let server = try ServerDatabase()
        let ct = try Casetrack()
        let file = ct.home.appendingPathComponent("tour.db").path
        let seed = Casetrack.fixtures.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("seed/hubei-2023.jsonl").path
        let odd = try ct.write("odd.jsonl", #"""
            {"city":"十堰","code":"5.5","year":2024,"note":"第一行\n第二行\t制表 \\N 反斜杠\\","gangs":[{"count":1,"name":"a\tb","note":"\\"}],"links":[{"count":2,"type":"跑分","name":"\\N"}],"arrests":[{"count":3,"note":"\r\n"}]}
            {"city":"十堰","code":"5.6","year":2024}

            """#)
        let duplicate = try ct.write("dup.jsonl", "{\"city\":\"宜昌\",\"code\":\"8.8\",\"year\":2024}\n{\"city\":\"宜昌\",\"code\":\"8.8\",\"year\":2024,\"note\":\"again\"}\n")
        let bad = try ct.write("bad.jsonl", "{\"city\":\"襄阳\",\"code\":\"3.3\",\"year\":2023}\n{\"city\":\"火星\",\"code\":\"1\",\"year\":2023,\"arrests\":[{\"count\":-1}]}\n")
        #expect(try ct.run("init", "--db", file).status == 0)
        #expect(try ct.run("init", "--db", server.url()).status == 0)
        // What may differ: timings in import summaries; in undo's words, the register named in
        // the command it reverts, when and by whom (a server adds the database role), the
        // change-set numbers (a server's may skip numbers a rolled-back command took), and the
        // times a case shows.
        func comparable(_ text: String, _ register: String) -> String {
            text.replacing(register, with: "REGISTER")
                .replacing(/, [0-9.]+ s\)/, with: ")")
                .replacing(/, \d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d\d:\d\d by [^()]*(\([^)]*\))?\)/, with: ", WHEN by WHOM)")
                .replacing(/change set \d+/, with: "change set N")
                .replacing(/\d{4}-\d\d-\d\dT[0-9:.]+Z( by [^:]*)?/, with: "WHEN")
        }
        for command in Self.tour {
            let files = ["SEED": seed, "BAD": bad, "ODD": odd, "DUP": duplicate]
            let arguments = command.map { files[$0] ?? $0 }
            let onFile = try ct.run(arguments + ["--db", file])
            let onServer = try ct.run(arguments + ["--db", server.url()])
            #expect(onServer.status == onFile.status, "\(command)")
            #expect(comparable(onServer.stdout, server.url()) == comparable(onFile.stdout, file), "\(command)")
            #expect(comparable(onServer.stderr, server.url()) == comparable(onFile.stderr, file), "\(command)")
        }
    }

    @Test func aBureauRoleWritesOnlyItsOwnDivisionFromCasetrackAndFromPsql() throws {
        let server = try ServerDatabase()
        let ct = try Casetrack()
        let owner = server.url()
        try ct.enterSeedCases(db: owner)
        let role = "xy_\(server.name.suffix(8))"
        let granted = try ct.run("admin", "grant-bureau", role, "--city", "襄阳", "--db", owner)
        #expect(granted.status == 0)
        #expect(granted.stdout == "\(role) may write the cases of 襄阳 and the counties under it\n")
        let bureau = server.url(user: role)
        let before = try ct.run("export", "--db", owner).stdout
        let changeSets = try server.psql("SELECT count(*) FROM change_sets").output

        // Its own division and a county under it: allowed.
        #expect(try ct.run("arrest", "add", "襄阳/1.13", "--count", "5", "--db", bureau).status == 0)
        #expect(try ct.run("case", "add", "--city", "枣阳", "--code", "7.7", "--year", "2024", "--db", bureau).status == 0)
        let afterOwn = try ct.run("export", "--db", owner).stdout

        // Another division's case: refused with the division named, nothing written.
        let refusal = "Error: role \(role) may not write %@ of 鄂州 (it may write 襄阳 and the counties under it); nothing was written\n"
        let attempts: [([String], String)] = [
            (["arrest", "add", "鄂州/9.9", "--count", "3"], "arrests"),
            (["case", "edit", "鄂州/9.9", "--name", "改名"], "cases"),
            (["case", "rm", "鄂州/9.9", "--yes"], "cases"),
            (["case", "add", "--city", "鄂州", "--code", "1.1", "--year", "2024"], "cases"),
        ]
        for (command, what) in attempts {
            let result = try ct.run(command + ["--db", bureau])
            #expect(result.status == 1, "\(command)")
            #expect(result.stderr == refusal.replacingOccurrences(of: "%@", with: what), "\(command)")
        }
        // An import touching 鄂州 is refused whole: its 襄阳 part is not written either.
        let mixed = try ct.write("mixed.jsonl", """
            {"city":"襄阳","code":"8.8","year":2024}
            {"city":"鄂州","code":"9.9","year":2023,"name":"改名"}

            """)
        let imported = try ct.run("import", mixed, "--db", bureau)
        #expect(imported.status == 1)
        #expect(imported.stderr == refusal.replacingOccurrences(of: "%@", with: "cases"))
        #expect(try ct.run("export", "--db", owner).stdout == afterOwn)

        // The same from psql, as the bureau's role.
        let fromPsql = try server.psql("UPDATE cases SET name = 'x' WHERE code = '9.9'", user: role)
        #expect(fromPsql.status != 0)
        #expect(fromPsql.output.contains("ERROR:  role \(role) may not write cases of 鄂州 (it may write 襄阳 and the counties under it)"))
        let deleteFromPsql = try server.psql("DELETE FROM arrests WHERE case_id = (SELECT id FROM cases WHERE code = '9.9')", user: role)
        #expect(deleteFromPsql.output.contains("may not write arrests of 鄂州"))
        // The vocabularies are the province's.
        let vocabulary = try ct.run("categories", "add", "网络黑产", "--db", bureau)
        #expect(vocabulary.status == 1)
        #expect(vocabulary.stderr == "Error: only the province's roles may change the divisions, categories and link types (permission denied for table categories); nothing was written\n")
        // Nor can it give itself more rights, or write the history.
        #expect(try server.psql("UPDATE bureau_grants SET city = NULL", user: role).status != 0)
        #expect(try server.psql("DELETE FROM history", user: role).status != 0)
        #expect(try ct.run("admin", "grant-bureau", role, "--province", "--db", bureau).status == 1)

        // Its writes are recorded with the OS user and the role.
        #expect(before != afterOwn)
        #expect(try server.psql("SELECT count(*) FROM change_sets").output != changeSets)
        let log = try ct.run("log", "--no-pager", "--limit", "1", "--db", owner)
        #expect(log.stdout.contains("(role \(role))"))
        #expect(log.stdout.contains("casetrack case add --city 枣阳 --code 7.7 --year 2024"))

        // Undo: the bureau's own newest change, not the province's newer one; another
        // division's change is refused by name and nothing is written.
        #expect(try ct.run("case", "edit", "鄂州/9.9", "--note", "省厅核对", "--db", owner).status == 0)
        let provinceChange = try server.psql("SELECT max(id) FROM change_sets").output.trimmingCharacters(in: .whitespacesAndNewlines)
        let undone = try ct.run("undo", "--db", bureau)
        #expect(undone.status == 0)
        #expect(undone.stdout.hasPrefix("Undid change set "))
        #expect(undone.stdout.contains("case add --city 枣阳 --code 7.7 --year 2024"))
        #expect(try ct.run("case", "show", "枣阳/7.7", "--db", owner).status == 1)
        let afterUndo = try ct.run("export", "--db", owner).stdout
        #expect(afterUndo.contains("省厅核对"))
        let refusedUndo = try ct.run("undo", provinceChange, "--db", bureau)
        #expect(refusedUndo.status == 1)
        #expect(refusedUndo.stderr == refusal.replacingOccurrences(of: "%@", with: "cases"))
        #expect(try ct.run("export", "--db", owner).stdout == afterUndo)
        #expect(try ct.run("redo", "--db", bureau).status == 0)
        #expect(try ct.run("case", "show", "枣阳/7.7", "--db", owner).status == 0)

        // A grant to the owner would list a limit that does not hold: refused. A new grant for
        // a role says which rights it replaced.
        let toOwner = try ct.run("admin", "grant-bureau", "postgres", "--city", "襄阳", "--db", owner)
        #expect(toOwner.status == 1)
        #expect(toOwner.stderr == "Error: role postgres owns the register (or is a superuser) and writes every case whatever a grant says; give the bureau a role of its own (such as xiangyang)\n")
        let moved = try ct.run("admin", "grant-bureau", role, "--city", "鄂州", "--db", owner)
        #expect(moved.stdout == "\(role) may write the cases of 鄂州 and the counties under it\n")
        #expect(moved.stderr == "\(role) no longer writes the cases of 襄阳 and the counties under it: a role writes for one bureau, and this grant replaced its earlier one\n")
        let grants = try ct.run("admin", "grants", "--format", "csv", "--db", owner)
        #expect(grants.stdout == "role,writes\n\(role),鄂州\n")
    }

    @Test func sixteenClientsAddingToOneCaseBesideAnImportAndReportsLoseNothing() throws {
        let server = try ServerDatabase()
        let ct = try Casetrack()
        let db = server.url()
        #expect(try ct.run("case", "add", "--city", "襄阳", "--code", "1.13", "--year", "2023", "--db", db).status == 0)
        let documents = try ct.generatedDocuments(300)
        // Each client is its own process running its commands one after another; failures are
        // counted in its output.
        func client(_ loop: String) throws -> (Process, URL) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", loop]
            var environment = ct.environment
            environment["CT"] = Casetrack.binary.path
            environment["DB"] = db
            process.environment = environment
            process.currentDirectoryURL = ct.home
            let out = ct.home.appendingPathComponent("client-\(UUID().uuidString)")
            FileManager.default.createFile(atPath: out.path, contents: nil)
            let handle = try FileHandle(forWritingTo: out)
            process.standardOutput = handle
            process.standardError = handle
            try process.run()
            return (process, out)
        }
        var clients = [try client(#""$CT" import "\#(documents)" --db "$DB" >/dev/null 2>import.err || { echo "import failed"; cat import.err; }"#)]
        for _ in 1...16 {
            clients.append(try client(#"for i in $(seq 1 100); do "$CT" arrest add 襄阳/1.13 --count 1 --db "$DB" >/dev/null || echo "add failed"; done"#))
        }
        clients.append(try client(#"for i in $(seq 1 20); do "$CT" report --by city,year --db "$DB" >/dev/null || echo "report failed"; done"#))
        for (process, out) in clients {
            process.waitUntilExit()
            let output = try String(contentsOf: out, encoding: .utf8)
            #expect(process.terminationStatus == 0)
            #expect(output == "", "a client failed: \(output.prefix(500))")
        }
        let show = try ct.run("case", "show", "襄阳/1.13", "--format", "json", "--db", db)
        let shown = try Casetrack.object(show.stdout)
        #expect(shown["arrests"] as? Int == 1600)
        #expect(try server.psql("SELECT count(*), sum(count) FROM arrests WHERE case_id = 1").output == "1600|1600\n")
        // The report agrees with the rows, and every add is its own change set.
        #expect(try server.psql("SELECT count(*) FROM change_sets WHERE command LIKE 'casetrack arrest add%'").output == "1600\n")
        #expect(try server.psql("""
            SELECT (SELECT sum(arrests_initial) FROM report_totals) = (SELECT sum(count) FROM arrests WHERE phase = 'initial')
            """).output == "t\n")
    }

    @Test func aClientKilledMidImportLeavesNothingHalfApplied() throws {
        let server = try ServerDatabase()
        let ct = try Casetrack()
        let db = server.url()
        try ct.enterSeedCases(db: db)
        let before = try ct.run("export", "--db", db).stdout
        let documents = try ct.generatedDocuments(4000)
        for delay in [0.3, 0.8] {
            let process = try ct.start(["import", documents, "--db", db])
            Thread.sleep(forTimeInterval: delay)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            #expect(try ct.run("export", "--db", db).stdout == before, "killed after \(delay) s")
            #expect(try server.psql("SELECT count(*) FROM change_sets WHERE command LIKE 'casetrack import%'").output == "0\n")
        }
        // The server ended the killed client's transaction: nothing waits on its locks.
        #expect(try ct.run("arrest", "add", "襄阳/1.13", "--count", "1", "--db", db).status == 0)
    }

    @Test func writesFromPsqlAreRecordedAsOutsideChangeSets() throws {
        let server = try ServerDatabase()
        let ct = try Casetrack()
        let db = server.url()
        try ct.enterSeedCases(db: db)
        #expect(try server.psql("BEGIN; UPDATE cases SET note = '补录' WHERE code = '9.9'; INSERT INTO arrests (case_id, count, phase) SELECT id, 4, 'initial' FROM cases WHERE code = '9.9'; COMMIT;").status == 0)
        let log = try ct.run("log", "--no-pager", "--limit", "1", "--db", db)
        #expect(log.status == 0)
        let lines = log.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(lines.count == 6)
        #expect(lines[0].hasSuffix("role postgres"))
        #expect(lines[1] == "outside casetrack (psql)   [written outside casetrack]")
        #expect(lines[2] == "update  case 鄂州\"9.9\"@2023")
        #expect(lines[3] == "note: — → 补录")
        #expect(lines[4] == "insert  arrest #5 of 鄂州\"9.9\"@2023")
        // Totals follow writes from psql too.
        let report = try ct.run("report", "--by", "city", "--format", "csv", "--db", db)
        #expect(report.stdout.contains("鄂州,1,201,201,0,0,7\n"))
    }

    /// One version per change set on the server too: a psql transaction that changes a row
    /// twice, or creates a row and changes or removes it, is undone to what was there before.
    @Test func undoOfAPsqlTransactionThatChangesARowTwiceGivesBackWhatWasThereBefore() throws {
        let server = try ServerDatabase()
        let ct = try Casetrack()
        let db = server.url()
        try ct.enterSeedCases(db: db)
        let before = try ct.run("export", "--db", db).stdout
        #expect(try server.psql("""
            BEGIN;
            UPDATE arrests SET count = 300 WHERE count = 249; UPDATE arrests SET count = 400 WHERE count = 300;
            INSERT INTO gangs (case_id, count) SELECT id, 9 FROM cases WHERE code = '9.9';
            DELETE FROM gangs WHERE count = 9;
            INSERT INTO arrests (case_id, count, phase) SELECT id, 5, 'initial' FROM cases WHERE code = '1.13';
            UPDATE arrests SET count = 50 WHERE count = 5;
            UPDATE links SET count = 8 WHERE count = 7; DELETE FROM links WHERE count = 8;
            COMMIT;
            """).status == 0)
        #expect(try server.psql("SELECT action || ' ' || table_name || ' ' || (image ->> 'count') FROM history ORDER BY id").output
            == "update arrests 249\nupdate links 7\ndelete links 7\n")
        #expect(try ct.run("undo", "--db", db).status == 0)
        #expect(try ct.run("export", "--db", db).stdout == before)
        #expect(try ct.run("check", "--db", db).status == 0)
    }

    @Test func copyMovesAFileRegisterToTheServerAndBackByTheImportRules() throws {
        let server = try ServerDatabase()
        let ct = try Casetrack()
        let file = ct.home.appendingPathComponent("xiangyang.db").path
        try ct.enterSeedCases(db: file)
        let copied = try ct.run("copy", "--from", file, "--to", server.url())
        #expect(copied.status == 0)
        #expect(copied.stderr.hasPrefix("Copied "))
        #expect(copied.stderr.hasSuffix(" from \(file) with their history: its 3 cases are here as in the source.\nCreated a casetrack register in \(server.url()).\n"))
        #expect(try ct.run("export", "--db", server.url()).stdout == ct.run("export", "--db", file).stdout)
        // Again: the cases are there, so they are merged (nothing to change), and the copy says
        // why the history stays behind.
        #expect(try ct.run("copy", "--from", file, "--to", server.url()).stderr.hasPrefix(
            "The history stays in the source: the destination already holds 3 of the source's cases (襄阳\"1.13\"@2023, 鄂州\"9.9\"@2023, 汉川\"6406\"@2023), and two histories of one case cannot be joined. The cases are merged by the import's rules instead.\nImported: 0 cases created, 0 updated, 3 unchanged"))
        // A field the province filled in on the server, empty in the bureau's file, stays.
        #expect(try ct.run("case", "edit", "汉川/6406", "--name", "省厅补录", "--db", server.url()).status == 0)
        let again = try ct.run("copy", "--from", file, "--to", server.url())
        #expect(again.stderr.contains("Imported: 0 cases created, 0 updated, 3 unchanged"))
        #expect(try ct.run("case", "show", "汉川/6406", "--db", server.url()).stdout.contains("省厅补录"))
        // A figure changed on the server conflicts with the file's, and is refused whole.
        #expect(try ct.run("arrest", "add", "鄂州/9.9", "--count", "3", "--db", server.url()).status == 0)
        let serverBefore = try ct.run("export", "--db", server.url()).stdout
        let back = ct.home.appendingPathComponent("back.db").path
        #expect(try ct.run("copy", "--from", server.url(), "--to", back).status == 0)
        #expect(try ct.run("export", "--db", back).stdout == serverBefore)
        let conflict = try ct.run("copy", "--from", file, "--to", server.url())
        #expect(conflict.status == 1)
        #expect(conflict.stderr.contains("鄂州\"9.9\"@2023 arrests: register 200"))
        #expect(conflict.stderr.contains("Error: \(file): 1 figure differs from the register; nothing was imported"))
        #expect(try ct.run("export", "--db", server.url()).stdout == serverBefore)
    }

    @Test func copyCarriesTheWholeHistoryToTheServerAndBackAndUndoWorksThere() throws {
        let server = try ServerDatabase()
        let ct = try Casetrack()
        let file = ct.home.appendingPathComponent("bureau.db").path
        let steps: [[String]] = [
            ["case", "add", "--city", "襄阳", "--code", "1.13", "--opened", "2023-01-13", "--name", "跑分案"],
            ["arrest", "add", "襄阳/1.13", "--count", "57", "--date", "2023-02"],
            ["gang", "add", "襄阳/1.13", "--count", "2", "--name", "跑分团伙"],
            ["case", "edit", "襄阳/1.13", "--note", "扩线深挖"],
            ["import", Casetrack.fixtures.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("seed/hubei-2023.jsonl").path],
            ["case", "rm", "鄂州/9.9", "--yes"],
            ["undo"],
            ["categories", "add", "网络黑产"],
            ["gang", "edit", "2", "--name", "跑分团伙一"],
            ["undo"],
            ["redo"],
        ]
        for step in steps { #expect(try ct.run(step + ["--db", file]).status == 0, "\(step)") }

        let copied = try ct.run("copy", "--from", file, "--to", server.url())
        #expect(copied.status == 0)
        #expect(copied.stderr.hasPrefix("Copied 11 change sets (25 record changes) from \(file) with their history: its 3 cases are here as in the source.\n"))
        // The same story in the same order: commands, records and fields (ids of rows an undo
        // put back are the destination's own).
        func story(_ register: String) throws -> [String] {
            try ct.run("log", "--no-pager", "--db", register).stdout.split(separator: "\n")
                .filter { $0.hasPrefix("    casetrack") || $0.hasPrefix("  insert") || $0.hasPrefix("  update") || $0.hasPrefix("  delete") }
                .map { String($0).replacing(/#\d+/, with: "#N").replacing(/change set \d+/, with: "change set N") }
        }
        #expect(try story(server.url()) == story(file))
        #expect(try story(file).count == 36)
        func contents(_ register: String) throws -> String {
            try ct.run("export", "--db", register).stdout.replacing(/"id":\d+,/, with: "")
        }
        #expect(try contents(server.url()) == contents(file))
        #expect(try ct.run("check", "--db", server.url()).status == 0)

        // Undo on the server reverts the copied redo: the gang has no name again; the file keeps it.
        let undone = try ct.run("undo", "--db", server.url())
        #expect(undone.status == 0)
        #expect(undone.stdout.hasPrefix("Undid change set "))
        #expect(try ct.run("gang", "list", "--format", "csv", "--db", server.url()).stdout.hasSuffix(",2023,12,,,,\n"))
        #expect(try ct.run("gang", "list", "--format", "csv", "--db", file).stdout.hasSuffix(",2023,12,跑分团伙一,,,\n"))

        // And back into a new file, history and all.
        let back = ct.home.appendingPathComponent("back.db").path
        let returned = try ct.run("copy", "--from", server.url(), "--to", back)
        #expect(returned.status == 0)
        #expect(try contents(back) == contents(server.url()))
        #expect(try story(back) == story(server.url()))
        #expect(try ct.run("check", "--db", back).status == 0)
    }

    @Test func aBureauCopyingAnotherDivisionsCaseIsRefusedAndWritesNothing() throws {
        let server = try ServerDatabase()
        let ct = try Casetrack()
        try ct.enterSeedCases(db: server.url())
        let role = "cp_\(server.name.suffix(8))"
        #expect(try ct.run("admin", "grant-bureau", role, "--city", "襄阳", "--db", server.url()).status == 0)
        let before = try ct.run("export", "--db", server.url()).stdout
        let file = ct.home.appendingPathComponent("mixed.db").path
        #expect(try ct.run("case", "add", "--city", "枣阳", "--code", "3.3", "--year", "2024", "--db", file).status == 0)
        #expect(try ct.run("case", "add", "--city", "鄂州", "--code", "4.4", "--year", "2024", "--db", file).status == 0)
        let refused = try ct.run("copy", "--from", file, "--to", server.url(user: role))
        #expect(refused.status == 1)
        #expect(refused.stderr == "Error: role \(role) may not write cases of 鄂州 (it may write 襄阳 and the counties under it); nothing was written\n")
        #expect(try ct.run("export", "--db", server.url()).stdout == before)
    }

    @Test func aRegisterOfTheFirstServerSchemaIsUpgradedInPlaceByItsOwnerOnly() throws {
        let server = try ServerDatabase()
        let ct = try Casetrack()
        let root = Casetrack.fixtures.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let schema = try String(contentsOf: root.appendingPathComponent("schema-postgres.sql"), encoding: .utf8)
        let first = try #require(schema.components(separatedBy: "-- MARK: Upgrades").first)
        #expect(try server.psql(first).status == 0)
        #expect(try server.psql("INSERT INTO cases (city, code, year, note) VALUES ('420600', '1.13', 2023, '初稿')").status == 0)
        let role = "up_\(server.name.suffix(8))"
        #expect(try server.psql("SELECT casetrack_grant_bureau('\(role)', '420600')").status == 0)
        let bureau = server.url(user: role)

        // A bureau's role reads the older register as it is, and may not upgrade it to write.
        #expect(try ct.run("case", "list", "--db", bureau).status == 0)
        let refused = try ct.run("arrest", "add", "襄阳/1.13", "--count", "2", "--db", bureau)
        #expect(refused.status == 1)
        #expect(refused.stderr == "Error: the register \(bureau) has schema 1, older than this casetrack's 3, and role \(role) may not upgrade it: its owner must run casetrack on it once; nothing was written\n")
        #expect(try server.psql("SELECT version FROM casetrack_schema").output == "1\n")
        #expect(try server.psql("SELECT count(*) FROM arrests").output == "0\n")

        // The owner's first command upgrades it, keeping what it holds; then undo works for both.
        #expect(try ct.run("case", "show", "襄阳/1.13", "--db", server.url()).status == 0)
        #expect(try server.psql("SELECT version FROM casetrack_schema").output == "3\n")
        #expect(try ct.run("check", "--db", server.url()).status == 0)
        #expect(try ct.run("arrest", "add", "襄阳/1.13", "--count", "2", "--db", bureau).status == 0)
        let undone = try ct.run("undo", "--db", bureau)
        #expect(undone.status == 0)
        #expect(undone.stdout.contains("arrest add 襄阳/1.13 --count 2"))
        #expect(try server.psql("SELECT count(*) FROM arrests").output == "0\n")
        #expect(try server.psql("SELECT note FROM cases").output == "初稿\n")
    }

    @Test func checkNamesWhatWasBrokenFromPsqlAndRepairPutsItBackAsAChangeSet() throws {
        let server = try ServerDatabase()
        let ct = try Casetrack()
        let url = server.url()
        try ct.enterSeedCases(db: url)
        let clean = try ct.run("check", "--db", url)
        #expect(clean.status == 0)
        #expect(clean.stdout == "\(url): no problems found.\n")
        let report = try ct.run("report", "--by", "city", "--db", url).stdout

        // Rules taken away from psql, and a removal made while the totals trigger was off.
        #expect(try server.psql("""
            ALTER TABLE arrests DISABLE TRIGGER casetrack_totals;
            INSERT INTO arrests (case_id, count) SELECT id, 5 FROM cases WHERE code = '1.13';
            DELETE FROM arrests WHERE count = 5;
            DROP TRIGGER casetrack_3_history ON gangs;
            CREATE OR REPLACE FUNCTION casetrack_now() RETURNS text LANGUAGE sql AS $$ SELECT '2000-01-01' $$;
            ALTER TABLE links DISABLE ROW LEVEL SECURITY;
            DROP POLICY casetrack_insert ON gangs;
            UPDATE report_totals SET cases = cases + 1 WHERE city = '420600';
            """).status == 0)
        let broken = try ct.run("check", "--db", url)
        #expect(broken.status == 1)
        #expect(broken.stdout == "")
        #expect(broken.stderr == """
            function casetrack_now differs from schema-postgres.sql
            trigger casetrack_3_history on gangs is missing
            trigger casetrack_totals on arrests is disabled
            row-level security is off on links
            policy casetrack_insert on gangs is missing
            per-case totals that differ from the result rows: case 1 2023-1
            report rollup rows that differ from the per-case totals: 2023-1 420600 电信网络诈骗
            7 problems found in \(url).

            """)

        let repaired = try ct.run("check", "--repair", "--db", url)
        #expect(repaired.status == 0)
        #expect(repaired.stderr == "Re-created function casetrack_now, trigger casetrack_3_history on gangs, trigger casetrack_totals on arrests, row-level security on links, policy casetrack_insert on gangs, the per-case totals, the report rollup.\n")
        #expect(repaired.stdout == "\(url): no problems found.\n")
        #expect(try ct.run("report", "--by", "city", "--db", url).stdout == report)
        let log = try ct.run("log", "--no-pager", "--limit", "1", "--db", url).stdout
        #expect(log.contains("check --repair"))
        #expect(try ct.run("check", "--repair", "--db", url).stderr == "Nothing to repair.\n")
    }

    @Test func sqlOnTheServerReadsTheViewsAndRefusesEveryWriteAndAdministration() throws {
        let server = try ServerDatabase()
        let ct = try Casetrack()
        let url = server.url()
        try ct.enterSeedCases(db: url)
        let read = try ct.run("sql", "SELECT ref, prefecture, arrests FROM cases_v ORDER BY id; SELECT count(*) AS n FROM results_v WHERE false", "--format", "csv", "--db", url)
        #expect(read.status == 0)
        #expect(read.stdout == "ref,prefecture,arrests\n\"襄阳\"\"1.13\"\"\",襄阳,249\n\"汉川\"\"6406\"\"\",孝感,506\n\"鄂州\"\"9.9\"\"\",鄂州,197\nn\n0\n")
        let oid = try ct.run("sql", "SELECT oid > 0 AS known FROM pg_class WHERE relname = 'cases'", "--format", "csv", "--db", url)
        #expect(oid.stdout == "known\n1\n")
        let oidColumn = try ct.run("sql", "SELECT count(oid) AS n FROM (SELECT oid FROM pg_class WHERE relname = 'cases') s", "--format", "csv", "--db", url)
        #expect(oidColumn.stdout == "n\n1\n")
        let rawOid = try ct.run("sql", "SELECT oid FROM pg_class WHERE relname = 'cases'", "--db", url)
        #expect(rawOid.status == 0)
        let empty = try ct.run("sql", "SELECT ref, year FROM cases_v WHERE false", "--format", "csv", "--db", url)
        #expect(empty.stdout == "ref,year\n")
        let before = try ct.run("export", "--db", url).stdout
        let refusals: [(String, String)] = [
            ("DELETE FROM cases", "Error: refused: DELETE FROM cases: casetrack sql only reads (SELECT, WITH, VALUES, TABLE, SHOW or EXPLAIN; change the register with casetrack's own commands)\n"),
            ("COPY cases TO '/tmp/cases.csv'", "Error: refused: COPY cases TO '/tmp/cases.csv': casetrack sql only reads (SELECT, WITH, VALUES, TABLE, SHOW or EXPLAIN; change the register with casetrack's own commands)\n"),
            ("SELECT pg_terminate_backend(1)", "Error: refused: SELECT pg_terminate_backend(1): pg_terminate_backend acts outside the query (casetrack sql only reads the register)\n"),
            ("SELECT nextval('cases_id_seq')", "Error: refused: casetrack sql only reads (cannot execute nextval() in a read-only transaction)\n"),
            ("WITH gone AS (DELETE FROM arrests RETURNING 1) SELECT count(*) FROM gone", "Error: refused: casetrack sql only reads (cannot execute SELECT in a read-only transaction)\n"),
            ("SELECT casetrack_begin('me', 'x')", "Error: refused: casetrack sql only reads (cannot execute INSERT in a read-only transaction)\n"),
            ("SELECT nosuch FROM cases", "Error: SQL error: column \"nosuch\" does not exist\n"),
            ("SELECT \"pg_read_file\"('/etc/hostname')", "Error: refused: SELECT \"pg_read_file\"('/etc/hostname'): pg_read_file acts outside the query (casetrack sql only reads the register)\n"),
            ("SELECT U&\"\\0070g_sleep\"(1)", "Error: refused: SELECT U&\"\\0070g_sleep\"(1): Unicode-escaped identifiers (U&\"…\") are refused by casetrack sql\n"),
        ]
        for (sql, message) in refusals {
            let result = try ct.run("sql", sql, "--db", url)
            #expect(result.status == 1, "\(sql)")
            #expect(result.stderr == message, "\(sql)")
        }
        #expect(try ct.run("export", "--db", url).stdout == before)
    }

    @Test func aRefusedFirstCommandLeavesTheServerDatabaseEmptyAsItLeavesNoFile() throws {
        let server = try ServerDatabase()
        let ct = try Casetrack()
        let bad = try ct.write("bad.csv", "city,code,opened,status,arrests\n襄阳,1.13,2023-02-30,pending,-3\n")
        let refused = try ct.run("import", bad, "--db", server.url())
        #expect(refused.status == 1)
        #expect(refused.stderr.hasPrefix("Error: \(bad): 3 problems in 1 record; nothing was imported\n"))
        #expect(!refused.stderr.contains("Created a casetrack register"))
        #expect(try server.psql("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'").output == "0\n")
        #expect(try server.psql("SELECT count(*) FROM pg_proc WHERE proname LIKE 'casetrack%'").output == "0\n")
        // A preview and a vocabulary listing read the built-in register, creating nothing.
        #expect(try ct.run("import", ImportCommandTests.seed, "--dry-run", "--db", server.url()).status == 0)
        #expect(try ct.run("categories", "list", "--db", server.url()).stdout.hasPrefix("name "))
        #expect(try server.psql("SELECT count(*) FROM pg_proc WHERE proname LIKE 'casetrack%'").output == "0\n")
        let created = try ct.run("case", "add", "--city", "襄阳", "--code", "1.13", "--year", "2023", "--db", server.url())
        #expect(created.stderr == "Created a casetrack register in \(server.url()).\n")
    }

    @Test func aBureauCannotCreateTheRegisterAndTwoRolesOfOneRegisterAreOneRegister() throws {
        let server = try ServerDatabase()
        let ct = try Casetrack()
        let role = "nw_\(server.name.suffix(8))"
        #expect(try server.psql("CREATE ROLE \(role) LOGIN; REVOKE CREATE ON SCHEMA public FROM PUBLIC").status == 0)
        let refused = try ct.run("init", "--db", server.url(user: role))
        #expect(refused.status == 1)
        #expect(refused.stderr.hasPrefix("Error: role \(role) may not create the register in \(server.url(user: role)) ("))
        #expect(refused.stderr.hasSuffix("): create it as the database's owner (casetrack init --db postgresql://OWNER@…), then give the bureaus their rights with casetrack admin grant-bureau; nothing was written\n"))
        #expect(try server.psql("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").output == "0\n")

        try ct.enterSeedCases(db: server.url())
        let endpoint = "\(TestServer.endpoint.host):\(TestServer.endpoint.port)/\(server.name)"
        let same = try ct.run("copy", "--from", server.url(), "--to", server.url(user: role))
        #expect(same.status == 1)
        #expect(same.stderr == "Error: --from and --to name the same register (\(endpoint), as two roles); nothing was copied\n")
    }

    @Test func backupOfAServerRegisterPointsToPgDumpAndWritesNothing() throws {
        let server = try ServerDatabase()
        let ct = try Casetrack()
        try ct.enterSeedCases(db: server.url())
        let result = try ct.run("backup", ct.home.path, "--db", server.url())
        #expect(result.status == 1)
        #expect(result.stderr == "Error: casetrack backup copies a SQLite register; back up the PostgreSQL register \(server.url()) with the server's pg_dump (pg_dump --format=custom keeps its tables, history, change sets, bureau grants and rules; the roles themselves are the server's: pg_dumpall --roles-only), or write a SQLite copy of its cases with `casetrack copy --from \(server.url()) --to FILE.db`; nothing was written\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: ct.home.path).filter { $0.hasSuffix(".db") }.isEmpty)
    }

    @Test func aMissingRegisterOrServerIsNamedAndNothingIsCreatedByReads() throws {
        let server = try ServerDatabase()
        let ct = try Casetrack()
        let listed = try ct.run("case", "list", "--db", server.url())
        #expect(listed.status == 1)
        #expect(listed.stderr == "Error: no casetrack database at \(server.url()) (casetrack init --db \(server.url()) creates one)\n")
        #expect(try server.psql("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").output == "0\n")
        let wrongDatabase = try ct.run("case", "list", "--db", server.url().replacingOccurrences(of: server.name, with: "no_such_db"))
        #expect(wrongDatabase.stderr.hasSuffix("database \"no_such_db\" does not exist\n"))
        let occupied = try ServerDatabase()
        #expect(try occupied.psql("CREATE TABLE accounts (id int)").status == 0)
        let refused = try ct.run("init", "--db", occupied.url())
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("is not a casetrack database (it holds other tables: accounts)"))
        // Addresses a user mistypes: each named, nothing tried against the wrong place.
        let badPort = try ct.run("case", "list", "--db", "postgresql://postgres@127.0.0.1:99999/casetrack")
        #expect(badPort.status == 1)
        #expect(badPort.stderr == "Error: the server port '99999' is not a port number (1 to 65535)\n")
        let nobody = try ct.run("case", "list", "--db", "postgresql://postgres@127.0.0.1:1/casetrack")
        #expect(nobody.stderr == "Error: cannot connect to postgresql://postgres@127.0.0.1:1/casetrack: nothing answers there (connection refused): is the server running, and are the host and port right?\n")
        let unknownHost = try ct.run("case", "list", "--db", "postgresql://postgres@no-such-host.invalid/casetrack")
        #expect(unknownHost.stderr == "Error: cannot connect to postgresql://postgres@no-such-host.invalid:5432/casetrack: the host name is not known\n")
    }

    /// schema-postgres.sql's own checks (Scripts/check-postgres-schema.sh): vocabularies equal to
    /// schema.sql's, history, totals against a recomputation, append-only rules, bureau rights,
    /// concurrent writers.
    @Test func theServerSchemaPassesItsOwnChecks() throws {
        let ct = try Casetrack()
        let script = Casetrack.fixtures.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Scripts/check-postgres-schema.sh").path
        let result = try ct.shell("bash '\(script)' 2>&1")
        #expect(result.status == 0, "\(result.stdout.suffix(2000))")
        #expect(result.stdout.contains(" 0 failed"))
    }
}
