import CaseTrackCore
import Foundation
import Testing

/// The promises of the README's "Reliability" section, each proved end to end.
@Suite(.serialized) struct ReliabilityTests {
    @Test func eightWritersAtOnceLoseNoArrestBatch() throws {
        let ct = try Casetrack()
        try ct.enterSeedCases()
        // 8 processes × 50 `arrest add` on the same case, all at once.
        let writers = (1...8).map { writer in
            "( i=0; while [ $i -lt 50 ]; do \"$CT\" arrest add 鄂州/9.9 --count \(writer) --note w\(writer) >/dev/null || exit 1; i=$((i+1)); done ) &"
        }
        let script = writers.joined(separator: "\n") + "\nfailed=0\nfor job in $(jobs -p); do wait $job || failed=1; done\nexit $failed"
        let result = try ct.shell(script)
        #expect(result.status == 0, "a writer failed: \(result.stdout)")
        let batches = try Casetrack.objects(try ct.run("arrest", "list", "鄂州/9.9", "--format", "json").stdout)
        #expect(batches.count == 1 + 400)
        // Each writer adds its own number 50 times: 50 × (1 + … + 8) = 1,800, plus the seed's 197.
        let show = try Casetrack.objects(try ct.run("case", "list", "--city", "鄂州", "--format", "json").stdout)
        #expect(show.first?["arrests"] as? Int == 197 + 1_800)
        #expect(try ct.run("check").status == 0)
    }

    @Test func aLongImportRunsWhileOthersAddAndReport() throws {
        let ct = try Casetrack()
        try ct.enterSeedCases()
        let file = try ct.generatedDocuments(3_000)
        let importer = try ct.start(["import", file])
        var failures: [String] = []
        for round in 1...10 {
            let added = try ct.run("arrest", "add", "襄阳/1.13", "--count", "1", "--note", "during import \(round)")
            if added.status != 0 { failures.append(added.stderr) }
            let report = try ct.run("report", "--format", "json")
            if report.status != 0 { failures.append(report.stderr) }
        }
        importer.waitUntilExit()
        #expect(importer.terminationStatus == 0)
        #expect(failures.isEmpty, "\(failures)")
        let cases = try Casetrack.objects(try ct.run("case", "list", "--format", "json").stdout)
        #expect(cases.count == 3 + 3_000)
        let xiangyang = cases.first { $0["city"] as? String == "襄阳" && $0["code"] as? String == "1.13" }
        #expect(xiangyang?["arrests"] as? Int == 249 + 10)
        #expect(try ct.run("check").status == 0)
    }

    @Test func anImportKilledAtAnyMomentLeavesAllOrNothing() throws {
        let ct = try Casetrack()
        try ct.enterSeedCases()
        let file = try ct.generatedDocuments(4_000)
        var generator = SystemRandomNumberGenerator()
        var outcomes: [Int] = []
        for _ in 1...4 {
            let importer = try ct.start(["import", file])
            usleep(UInt32.random(in: 20_000...900_000, using: &generator))
            kill(importer.processIdentifier, SIGKILL)
            importer.waitUntilExit()
            let check = try ct.run("check")
            #expect(check.status == 0, "check after a kill: \(check.stdout)\(check.stderr)")
            let count = try Casetrack.objects(try ct.run("case", "list", "--format", "json").stdout).count
            #expect(count == 3 || count == 3 + 4_000, "a killed import left \(count) cases")
            outcomes.append(count)
            if count > 3 { try ct.run("undo") }
        }
        let report = try Casetrack.objects(try ct.run("report", "--by", "year", "--year", "2023", "--format", "json").stdout)
        #expect(report.first?["arrests"] as? Int == 952, "the seed figures survive every kill (\(outcomes))")
    }

    @Test func everyChangeIsRecordedWithWhoWhatAndBeforeAfter() throws {
        let ct = try Casetrack()
        try ct.run("import", Casetrack.fixtures.appendingPathComponent("array.json").path)
        try ct.run("case", "edit", "汉川/6406", "--name", "新名字")
        try ct.run("arrest", "add", "汉川/6406", "--count", "5")
        try ct.run("case", "rm", "鄂州/9.9", "--yes")
        let log = try Casetrack.objects(try ct.run("log", "--format", "json").stdout)
        let commands = Set(log.compactMap { $0["command"] as? String })
        #expect(commands.contains { $0.hasPrefix("casetrack import ") })
        #expect(commands.contains("casetrack case edit 汉川/6406 --name 新名字"))
        #expect(commands.contains("casetrack case rm 鄂州/9.9 --yes"))
        #expect(log.first?["action"] as? String == "delete", "newest first")
        let rename = try #require(log.first { $0["field"] as? String == "name" && $0["action"] as? String == "update" })
        #expect(rename["before"] is NSNull && rename["after"] as? String == "新名字")
        #expect(rename["user"] as? String == ProcessInfo.processInfo.environment["USER"] ?? rename["user"] as? String)
        // The import is one change set, however many records it wrote.
        let importSets = Set(log.filter { ($0["command"] as? String)?.hasPrefix("casetrack import") == true }.compactMap { $0["change"] as? Int })
        #expect(importSets.count == 1)
        let show = try ct.run("case", "show", "汉川/6406").stdout
        #expect(show.contains("casetrack arrest add 汉川/6406 --count 5"))
        let hanchuan = try Casetrack.objects(try ct.run("log", "汉川/6406", "--format", "json").stdout)
        #expect(!hanchuan.contains { ($0["record"] as? String)?.contains("鄂州") == true })
    }

    @Test func historyRowsCannotBeChangedAndOutsideWritesAreRecorded() throws {
        let ct = try Casetrack()
        try ct.enterSeedCases()
        try ct.run("case", "edit", "鄂州/9.9", "--name", "第一次")
        let db = ct.defaultDatabase
        let tamper = try ct.shell("sqlite3 '\(db)' \"UPDATE history SET image = '{}'\"; sqlite3 '\(db)' \"DELETE FROM history\"")
        #expect(tamper.stdout.contains("history rows cannot be changed"))
        #expect(tamper.stdout.contains("history rows cannot be deleted"))
        let outside = try ct.shell("sqlite3 '\(db)' \"PRAGMA foreign_keys=ON; UPDATE cases SET name = '改' WHERE code = '9.9'\"")
        #expect(outside.status == 0)
        let log = try Casetrack.objects(try ct.run("log", "鄂州/9.9", "--format", "json").stdout)
        #expect(log.first?["command"] as? String == "outside casetrack")
        #expect(log.first?["after"] as? String == "改")
    }

    @Test func undoRevertsABulkImportInOneStepAndRefusesOverLaterChanges() throws {
        let ct = try Casetrack()
        try ct.enterSeedCases()
        let before = try ct.run("export").stdout
        let file = try ct.generatedDocuments(200)
        #expect(try ct.run("import", file).status == 0)
        try ct.run("case", "edit", "襄阳/G.8", "--note", "改过")
        let refused = try ct.run("undo", "10")
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("later changes touched the same records: case 襄阳\"G.8\"@2021"))
        let undoEdit = try ct.run("undo")
        #expect(undoEdit.status == 0 && undoEdit.stdout.contains("Undid change set 11"))
        let undoImport = try ct.run("undo")
        #expect(undoImport.status == 0 && undoImport.stdout.contains("Undid change set 10"))
        #expect(try ct.run("export").stdout == before)
        #expect(try ct.run("check").status == 0)
        // The undo is itself a change set, so it can be undone (redo).
        let undoSet = try #require(try Casetrack.objects(try ct.run("log", "--format", "json").stdout).first?["change"] as? Int)
        #expect(try ct.run("undo", String(undoSet)).status == 0)
        #expect(try Casetrack.objects(try ct.run("case", "list", "--format", "json").stdout).count == 203)
    }

    @Test func undoWithForceOverwritesLaterChanges() throws {
        let ct = try Casetrack()
        try ct.enterSeedCases()
        try ct.run("case", "edit", "鄂州/9.9", "--name", "第一次")
        try ct.run("case", "edit", "鄂州/9.9", "--name", "第二次")
        let first = try Casetrack.objects(try ct.run("log", "--format", "json").stdout).last { ($0["command"] as? String)?.contains("第一次") == true }
        let id = try #require(first?["change"] as? Int)
        #expect(try ct.run("undo", String(id)).status != 0)
        #expect(try ct.run("undo", String(id), "--force").status == 0)
        let name = try Casetrack.objects(try ct.run("case", "list", "--city", "鄂州", "--format", "json").stdout).first?["name"]
        #expect(name is NSNull)
    }

    @Test func checkFindsWhatTheShellCanBreak() throws {
        let ct = try Casetrack()
        try ct.enterSeedCases()
        #expect(try ct.run("check").stdout.contains("no problems found"))
        let db = ct.defaultDatabase
        try ct.shell("sqlite3 '\(db)' \"PRAGMA foreign_keys=OFF; PRAGMA ignore_check_constraints=ON; INSERT INTO arrests (case_id, count) VALUES (999, 0); UPDATE case_totals SET gangs = 99 WHERE case_id = 1\"")
        let result = try ct.run("check")
        #expect(result.status == 1)
        #expect(result.stderr.contains("foreign key: arrests row"))
        #expect(result.stderr.contains("result rows whose case does not exist"))
        #expect(result.stderr.contains("counts outside 1…1,000,000"))
        #expect(result.stderr.contains("per-case totals that differ from the result rows: case 1"))
    }

    @Test func backupIsAConsistentPrivateCopyAndNeverOverwrites() throws {
        let ct = try Casetrack()
        try ct.enterSeedCases()
        let copy = ct.home.appendingPathComponent("backup.db").path
        #expect(try ct.run("backup", copy).status == 0)
        #expect(try FileManager.default.attributesOfItem(atPath: copy)[.posixPermissions] as? Int == 0o600)
        #expect(try ct.run("export", "--db", copy).stdout == ct.run("export").stdout)
        #expect(try ct.run("check", "--db", copy).status == 0)
        let again = try ct.run("backup", copy)
        #expect(again.status != 0 && again.stderr.contains("already exists"))
    }

    @Test func filesArePrivateWhateverTheUmask() throws {
        let ct = try Casetrack()
        let result = try ct.shell("umask 000; \"$CT\" case add --city 襄阳 --code 1 --year 2023 && ls -l \"$XDG_DATA_HOME/casetrack\"")
        #expect(result.status == 0)
        let folder = (ct.defaultDatabase as NSString).deletingLastPathComponent
        #expect(try FileManager.default.attributesOfItem(atPath: folder)[.posixPermissions] as? Int == 0o700)
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: ct.defaultDatabase + suffix) {
            #expect(try FileManager.default.attributesOfItem(atPath: ct.defaultDatabase + suffix)[.posixPermissions] as? Int == 0o600, "\(suffix)")
        }
    }

    @Test func aFirstVersionDatabaseIsUpgradedInPlace() throws {
        let ct = try Casetrack()
        let old = ct.home.appendingPathComponent("v1.db").path
        try FileManager.default.copyItem(atPath: Casetrack.fixtures.appendingPathComponent("schema-v1.db").path, toPath: old)
        let report = try Casetrack.objects(try ct.run("report", "--by", "year", "--format", "json", "--db", old).stdout)
        #expect(report.map { $0["arrests"] as? Int } == [952, 3])
        let fresh = ct.home.appendingPathComponent("fresh.db").path
        try ct.run("init", "--db", fresh)
        let schema = "SELECT type || ' ' || name || ' ' || sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name"
        let upgraded = try ct.shell("sqlite3 '\(old)' \"\(schema)\"").stdout
        let created = try ct.shell("sqlite3 '\(fresh)' \"\(schema)\"").stdout
        #expect(!upgraded.isEmpty && upgraded == created, "an upgraded database has the schema of a new one")
        // The upgraded file records changes from now on.
        try ct.run("arrest", "add", "鄂州/9.9", "--count", "2", "--db", old)
        #expect(try ct.run("log", "--db", old, "--format", "json").stdout.contains("casetrack arrest add"))
        #expect(try ct.run("check", "--db", old).status == 0)
    }

    @Test func anImportThatChangesHeldCasesMovesTheReportRollupAsARecomputationWould() throws {
        let ct = try Casetrack()
        try ct.enterSeedCases()
        func report() throws -> String {
            try ct.run("report", "--by", "city,year,category", "--format", "csv").stdout
        }
        let before = try report()
        // A held case changes category and gains a result dated in another year; a new case
        // comes with results of its own.
        let file = try ct.write("changes.jsonl", """
            {"city":"鄂州","code":"9.9","year":2023,"category":"涉黑涉恶","arrests":[{"count":197},{"count":5,"phase":"extended","date":"2024-02"}]}
            {"city":"武汉","code":"3.1","year":2024,"category":"诈骗","gangs":[{"count":2,"date":"2024-05"}],"links":[{"count":3}]}

            """)
        #expect(try ct.run("import", file).status == 0)
        #expect(try ct.run("check").status == 0, "the rollup equals its recomputation")
        let after = try report()
        #expect(before.contains("鄂州,2023,,1,197,197,0,0,7\n"))
        #expect(after.contains("鄂州,2023,涉黑涉恶,1,197,197,0,0,7\n") && after.contains("鄂州,2024,涉黑涉恶,0,5,0,5,0,0"))
        #expect(!after.contains("鄂州,2023,,") && after.contains("武汉,2024,电信网络诈骗,1,0,0,0,2,3"))
        #expect(try ct.run("undo").status == 0)
        #expect(try ct.run("check").status == 0)
        #expect(try report() == before)
        #expect(try ct.run("redo").status == 0)
        #expect(try ct.run("check").status == 0)
        #expect(try report() == after)
    }

    @Test func anImportAfterTheShellClearedTheIdCounterCountsOnlyItsNewCases() throws {
        let ct = try Casetrack()
        try ct.enterSeedCases()
        #expect(try ct.run("import", try ct.generatedDocuments(20)).status == 0)
        try ct.shell("sqlite3 '\(ct.defaultDatabase)' \"DELETE FROM sqlite_sequence WHERE name = 'cases'\"")
        let before = try ct.run("report", "--by", "year", "--format", "csv").stdout
        let file = try ct.write("one.jsonl", "{\"city\":\"武汉\",\"code\":\"7.7\",\"year\":2024,\"arrests\":[{\"count\":4}]}\n")
        #expect(try ct.run("import", file).status == 0)
        let check = try ct.run("check")
        #expect(check.status == 0 && check.stdout.contains("no problems found"), "\(check.stderr)")
        let after = try ct.run("report", "--by", "year", "--format", "csv").stdout
        let year2024 = { (text: String) in text.split(separator: "\n").first { $0.hasPrefix("2024,") }.map(String.init) }
        let old = try #require(year2024(before)).split(separator: ",").map(String.init)
        let new = try #require(year2024(after)).split(separator: ",").map(String.init)
        #expect(Int(new[1]) == Int(old[1])! + 1 && Int(new[2]) == Int(old[2])! + 4)
        #expect(before.split(separator: "\n").filter { !$0.hasPrefix("2024,") } == after.split(separator: "\n").filter { !$0.hasPrefix("2024,") })
    }

    @Test func aFifthVersionDatabaseKeepsItsFiguresWhenItsTotalsMoveToYears() throws {
        let ct = try Casetrack()
        let old = ct.home.appendingPathComponent("v5.db").path
        try FileManager.default.copyItem(atPath: Casetrack.fixtures.appendingPathComponent("schema-v5.db").path, toPath: old)
        // The report as version 5 printed it from the same file; the first command says it upgraded the file.
        let first = try ct.run("report", "--by", "month,city,category", "--format", "csv", "--db", old)
        #expect(first.stderr == "upgraded \(old) in place from schema v5-bulk-rollup to the current one (its records are unchanged)\n")
        let report = first.stdout
        #expect(try ct.run("report", "--db", old).stderr.isEmpty, "only the first command upgrades")
        #expect(report == """
            month,city,category,cases,arrests,arrests_initial,arrests_extended,gangs,links
            2023-01,襄阳,电信网络诈骗,1,249,249,0,12,0
            2023-11,鄂州,电信网络诈骗,0,0,0,0,2,0
            2023-unknown,鄂州,电信网络诈骗,1,197,197,0,0,7
            2023-unknown,孝感,毒品,1,506,337,169,0,0
            2024-02,襄阳,电信网络诈骗,0,3,0,3,0,0

            """)
        let totals = try ct.shell("sqlite3 '\(old)' \"SELECT * FROM case_totals ORDER BY 1, 2\"").stdout
        #expect(totals == "1|2023|1|249|0|12|0\n1|2024|0|0|3|0|0\n2|2023|1|197|0|2|7\n3|2023|1|337|169|0|0\n")
        let fresh = ct.home.appendingPathComponent("fresh.db").path
        try ct.run("init", "--db", fresh)
        let schema = "SELECT type || ' ' || name || ' ' || sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name"
        #expect(try ct.shell("sqlite3 '\(old)' \"\(schema)\"").stdout == (try ct.shell("sqlite3 '\(fresh)' \"\(schema)\"").stdout),
            "an upgraded database has the schema of a new one: the triggers of the totals by month are gone")
        #expect(try ct.run("check", "--db", old).status == 0)
        // Its history still undoes and redoes, moving the figures as it goes.
        #expect(try ct.run("undo", "--db", old).status == 0)
        #expect(try ct.run("undo", "--db", old).status == 0)
        let undone = try ct.run("report", "--by", "city,category", "--format", "csv", "--db", old).stdout
        #expect(undone == "city,category,cases,arrests,arrests_initial,arrests_extended,gangs,links\n襄阳,电信网络诈骗,1,252,249,3,12,0\n鄂州,电信网络诈骗,1,197,197,0,0,7\n孝感,电信网络诈骗,1,506,337,169,0,0\n")
        #expect(try ct.run("redo", "--db", old).status == 0)
        #expect(try ct.run("check", "--db", old).status == 0)
    }

    @Test func aDatabaseFromANewerCasetrackIsRefusedUnchanged() throws {
        let ct = try Casetrack()
        let newer = ct.home.appendingPathComponent("newer.db").path
        try FileManager.default.copyItem(atPath: Casetrack.fixtures.appendingPathComponent("schema-v1.db").path, toPath: newer)
        try ct.shell("sqlite3 '\(newer)' \"INSERT INTO grdb_migrations VALUES ('v9-future')\"")
        let bytes = FileManager.default.contents(atPath: newer)
        let result = try ct.run("case", "list", "--db", newer)
        #expect(result.status != 0)
        #expect(result.stderr.contains("was written by a newer casetrack (schema v9-future)"))
        #expect(FileManager.default.contents(atPath: newer) == bytes)
    }
}
