import Foundation
import Testing

/// The rule of issue "Nothing lost": every command changes exactly what its input states,
/// nothing recorded is dropped unless asked for by name, and every change can be previewed.
@Suite struct NothingLostTests {
    /// The seed plus detail that a CSV row cannot carry: a named gang with members and a date,
    /// a dated arrest batch, a typed link.
    static func registerWithDetail(on backend: Backend = .file) throws -> Casetrack {
        let ct = try Casetrack(on: backend)
        try ct.run("import", ImportCommandTests.seed)
        try ct.run("gang", "add", "襄阳/1.13", "--count", "1", "--name", "跑分团伙", "--members", "14", "--date", "2023-05")
        try ct.run("arrest", "add", "襄阳/1.13", "--count", "17", "--date", "2023-11-02")
        try ct.run("link", "add", "鄂州/9.9", "--count", "1", "--type", "洗钱", "--date", "2023-10")
        return ct
    }

    @Test(arguments: Backend.available) func aCSVExportImportedIntoTheSameDatabaseChangesNothing(on backend: Backend) throws {
        let ct = try Self.registerWithDetail(on: backend)
        let csv = ct.home.appendingPathComponent("all.csv").path
        #expect(try ct.run("export", "--format", "csv", "-o", csv).status == 0)
        let json = try ct.run("export", "--format", "json").stdout
        let quarters = try ct.run("report", "--by", "quarter", "--year", "2023", "--format", "json").stdout
        let before = ct.databaseBytes()
        let result = try ct.run("import", csv)
        #expect(result.status == 0)
        #expect(result.stderr.hasPrefix("Imported: 0 cases created, 0 updated, 3 unchanged; 0 result rows written"))
        #expect(try ct.run("export", "--format", "json").stdout == json)
        #expect(try ct.run("report", "--by", "quarter", "--year", "2023", "--format", "json").stdout == quarters)
        #expect(ct.databaseBytes() == before)
    }

    @Test(arguments: Backend.available, [["--format", "json"], ["--format", "jsonl"], ["--format", "csv"], ["--format", "csv", "--excel"]])
    func everyExportFormatImportedIntoItsOwnDatabaseChangesNothing(on backend: Backend, format: [String]) throws {
        let ct = try Self.registerWithDetail(on: backend)
        try ct.run("case", "edit", "汉川/6406", "--opened", "2023-06-01", "--status", "closed", "--closed", "2023-12-20", "--note", "省厅督办")
        try ct.run("case", "add", "--city", "荆州", "--code", "9.10", "--year", "2022", "--name", "=1+1", "--source", "-来源")
        let file = ct.home.appendingPathComponent("export.\(format[1] == "jsonl" ? "jsonl" : format[1])").path
        #expect(try ct.run(["export", "-o", file] + format).status == 0)
        let before = ct.databaseBytes()
        let result = try ct.run("import", file)
        #expect(result.stderr.hasPrefix("Imported: 0 cases created, 0 updated, 4 unchanged; 0 result rows written"), "\(result.stderr)")
        #expect(ct.databaseBytes() == before)
    }

    @Test(arguments: Backend.available) func aConflictingCSVIsRefusedWithEveryConflictListedAndWritesNothing(on backend: Backend) throws {
        let ct = try Self.registerWithDetail(on: backend)
        let csv = try ct.write("conflict.csv", """
            city,code,opened,gangs,links
            襄阳,1.13,2023-01-13,20,
            鄂州,9.9,2023,,5
            """)
        let before = ct.databaseBytes()
        let result = try ct.run("import", csv)
        #expect(result.status == 1)
        #expect(result.stderr.contains("\(csv): 2 figures differ from the register; nothing was imported"))
        #expect(result.stderr.contains("  襄阳\"1.13\"@2023 gangs: register 13 (2 rows, 1 named, 1 dated), file 20"))
        #expect(result.stderr.contains("  鄂州\"9.9\"@2023 links: register 8 (2 rows, 1 named, 1 dated), file 5"))
        #expect(result.stderr.contains("--on-conflict keep"))
        #expect(ct.databaseBytes() == before)
    }

    @Test(arguments: Backend.available) func onConflictKeepKeepsTheRegistersFiguresAndAppliesTheRestThenUndoes(on backend: Backend) throws {
        let ct = try Self.registerWithDetail(on: backend)
        let csv = try ct.write("keep.csv", """
            city,code,opened,category,gangs,note
            襄阳,1.13,2023-01-13,诈骗,20,省厅督办
            """)
        let before = try ct.run("export", "--format", "json").stdout
        let result = try ct.run("import", csv, "--on-conflict", "keep")
        #expect(result.status == 0)
        #expect(result.stderr.contains("Kept the register's figure in 1 conflict"))
        let listed = try Casetrack.objects(try ct.run("case", "list", "--format", "json").stdout).first { $0["code"] as? String == "1.13" }
        #expect(listed?["gangs"] as? Int == 13)
        #expect(listed?["note"] as? String == "省厅督办")
        #expect(try ct.run("undo").status == 0)
        #expect(try ct.run("export", "--format", "json").stdout == before)
    }

    @Test(arguments: Backend.available) func onConflictFileAddsARowForAHigherFigureAndReplacesRowsForALowerOneThenUndoes(on backend: Backend) throws {
        let ct = try Self.registerWithDetail(on: backend)
        let csv = try ct.write("file.csv", """
            city,code,opened,gangs,links
            襄阳,1.13,2023-01-13,20,
            鄂州,9.9,2023,,5
            """)
        let before = try ct.run("export", "--format", "json").stdout
        let result = try ct.run("import", csv, "--on-conflict", "file")
        #expect(result.status == 0)
        #expect(result.stderr.contains("Dropped 2 result rows that the file's figures or arrays replace:"))
        #expect(result.stderr.contains("鄂州\"9.9\"@2023 link #1: 7"))
        #expect(result.stderr.contains("鄂州\"9.9\"@2023 link #2: 1 (洗钱, 2023-10)"))
        let gangs = try Casetrack.objects(try ct.run("gang", "list", "襄阳/1.13", "--format", "json").stdout)
        #expect(gangs.map { $0["count"] as? Int } == [12, 1, 7])
        #expect(gangs[1]["name"] as? String == "跑分团伙")
        #expect((gangs[2]["note"] as? String)?.contains("the file states 20, the register had 13") == true)
        let links = try Casetrack.objects(try ct.run("link", "list", "鄂州/9.9", "--format", "json").stdout)
        #expect(links.map { $0["count"] as? Int } == [5])
        #expect(try ct.run("undo").status == 0)
        #expect(try ct.run("export", "--format", "json").stdout == before)
    }

    /// The 汉川 statement of the issue: agreeing figures change nothing, and a statement of only
    /// the extended arrests keeps the 337 and every field.
    @Test(arguments: Backend.available) func aTotalsOnlyStatementKeepsWhatItDoesNotState(on backend: Backend) throws {
        let ct = try Casetrack(on: backend)
        try ct.run("import", ImportCommandTests.seed)
        try ct.run("case", "edit", "汉川/6406", "--opened", "2023-06-01", "--status", "closed", "--closed", "2023-12-20", "--note", "省厅督办")
        let before = ct.databaseBytes()
        let agreeing = #"{"city":"汉川","code":"6406","year":2023,"totals_only":true,"arrests":[{"count":337,"phase":"initial"},{"count":169,"phase":"extended"}]}"#
        let same = try ct.run(["import", "-", "--format", "jsonl"], stdin: Data(agreeing.utf8))
        #expect(same.stderr.hasPrefix("Imported: 0 cases created, 0 updated, 1 unchanged"))
        let onlyExtended = #"{"city":"汉川","code":"6406","year":2023,"totals_only":true,"arrests":[{"count":169,"phase":"extended"}]}"#
        let partial = try ct.run(["import", "-", "--format", "jsonl"], stdin: Data(onlyExtended.utf8))
        #expect(partial.stderr.hasPrefix("Imported: 0 cases created, 0 updated, 1 unchanged"))
        #expect(ct.databaseBytes() == before)
        let shown = try Casetrack.object(try ct.run("case", "show", "汉川/6406", "--format", "json").stdout)
        #expect(shown["arrests"] as? Int == 506)
        #expect(shown["opened"] as? String == "2023-06-01")
        #expect(shown["closed"] as? String == "2023-12-20")
        #expect(shown["status"] as? String == "closed")
        #expect(shown["note"] as? String == "省厅督办")
        #expect(shown["category"] as? String == "电信网络诈骗")
    }

    /// The issue's own example, through `extract --import`.
    @Test(arguments: Backend.available) func extractImportOfTheHanchuanStatementChangesNothingItAgreesWith(on backend: Backend) throws {
        let ct = try Casetrack(on: backend)
        try ct.run("import", ImportCommandTests.seed)
        try ct.run("case", "edit", "汉川/6406", "--opened", "2023-06-01", "--status", "closed", "--closed", "2023-12-20", "--note", "省厅督办")
        let before = ct.databaseBytes()
        let text = Data("2023年，汉川市公安局“6406”专案共抓获506名（其中扩线深挖抓获169名）。".utf8)
        let dry = try ct.run(["extract", "-", "--import", "--dry-run"], stdin: text)
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout == "unchanged\t汉川\"6406\"@2023\n")
        let applied = try ct.run(["extract", "-", "--import"], stdin: text)
        #expect(applied.stderr.contains("Imported: 0 cases created, 0 updated, 1 unchanged"))
        #expect(ct.databaseBytes() == before)
        let onlyExtended = Data("2023年，汉川“6406”专案扩线深挖抓获169名。".utf8)
        #expect(try ct.run(["extract", "-", "--import"], stdin: onlyExtended).status == 0)
        #expect(ct.databaseBytes() == before)
        let conflicting = Data("2023年，汉川“6406”专案扩线深挖抓获170名。".utf8)
        let refused = try ct.run(["extract", "-", "--import"], stdin: conflicting)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("  汉川\"6406\"@2023 arrests_extended: register 169 (1 row), file 170"))
        #expect(ct.databaseBytes() == before)
    }

    @Test(arguments: Backend.available) func anAbsentJSONKeyLeavesTheFieldAndNullClearsIt(on backend: Backend) throws {
        let ct = try Casetrack(on: backend)
        try ct.run("import", ImportCommandTests.seed)
        let absent = #"{"city":"襄阳","code":"1.13","year":2023,"note":"补充"}"#
        #expect(try ct.run(["import", "-"], stdin: Data(absent.utf8)).status == 0)
        var shown = try Casetrack.object(try ct.run("case", "show", "襄阳/1.13", "--format", "json").stdout)
        #expect(shown["note"] as? String == "补充")
        #expect(shown["opened"] as? String == "2023-01-13")
        #expect(shown["gangs"] as? Int == 12)
        let cleared = #"{"city":"襄阳","code":"1.13","year":2023,"note":null,"gangs":[]}"#
        #expect(try ct.run(["import", "-"], stdin: Data(cleared.utf8)).status == 0)
        shown = try Casetrack.object(try ct.run("case", "show", "襄阳/1.13", "--format", "json").stdout)
        #expect(shown["note"] is NSNull)
        #expect(shown["gangs"] as? Int == 0)
        #expect(shown["arrests"] as? Int == 249)
        let nullArray = #"{"city":"襄阳","code":"1.13","year":2023,"arrests":null}"#
        let refused = try ct.run(["import", "-"], stdin: Data(nullArray.utf8))
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("arrests: cannot be null: give [] to remove every row of this kind, or leave the key out to keep them"))
    }

    @Test(arguments: Backend.available) func aDryRunPrintsTheChangeFieldByFieldAndFigureByFigure(on backend: Backend) throws {
        let ct = try Casetrack(on: backend)
        try ct.run("import", ImportCommandTests.seed)
        let csv = try ct.write("dry.csv", """
            城市,编号,立案日期,类别,其中扩线深挖,团伙
            襄阳,1.13,2023-01-13,赌博,,
            鄂州,9.9,2023,,,3
            汉川,6406,2023,,169,
            宜昌,3.15,2024-03-15,,40,
            """)
        let before = ct.databaseBytes()
        let result = try ct.run("import", csv, "--dry-run", "--on-conflict", "file")
        #expect(result.status == 0)
        #expect(result.stdout == """
            update\t襄阳"1.13"@2023
            \tcategory: 电信网络诈骗 → 赌博
            update\t鄂州"9.9"@2023
            \tgangs: 0 → 3 (+1 row)
            unchanged\t汉川"6406"@2023
            create\t宜昌"3.15"@2024
            \topened: — → 2024-03-15
            \tarrests_extended: 0 → 40 (+1 row)

            """)
        #expect(ct.databaseBytes() == before)
        let refused = try ct.run("import", csv, "--dry-run")
        #expect(refused.status == 1)
        #expect(refused.stdout.contains("conflict\t鄂州\"9.9\"@2023\n\tconflict gangs: register 0 (no rows), file 3"))
        let verbose = try ct.run("import", csv, "--verbose", "--on-conflict", "file")
        #expect(verbose.stderr.contains("update\t襄阳\"1.13\"@2023\n\tcategory: 电信网络诈骗 → 赌博"))
    }

    @Test func readCommandsOnAMissingPathCreateNothing() throws {
        let ct = try Casetrack()
        let missing = ct.home.appendingPathComponent("typo/x.db").path
        let reads: [[String]] = [
            ["case", "list"], ["case", "show", "1"], ["arrest", "list"], ["gang", "list"], ["link", "list"], ["report"],
            ["summary", "--year", "2023"], ["export"], ["log"], ["check"], ["backup", ct.home.appendingPathComponent("b.db").path],
        ]
        for command in reads {
            let result = try ct.run(command + ["--db", missing])
            #expect(result.status == 1, "\(command)")
            #expect(result.stderr == "Error: no casetrack database at \(missing) (casetrack init --db \(missing) creates one)\n", "\(command)")
        }
        #expect(!FileManager.default.fileExists(atPath: ct.home.appendingPathComponent("typo").path))
        #expect(!FileManager.default.fileExists(atPath: ct.home.appendingPathComponent("b.db").path))
        let created = try ct.run("case", "add", "--city", "襄阳", "--code", "1", "--year", "2023", "--db", missing)
        #expect(created.status == 0)
        #expect(created.stderr == "created a new database at \(missing)\n")
        #expect(try ct.run("case", "add", "--city", "襄阳", "--code", "2", "--year", "2023", "--db", missing).stderr == "")
    }

    @Test func anEmptyDatabasePathIsAnError() throws {
        let ct = try Casetrack()
        let empty = try ct.run("report", "--db", "")
        #expect(empty.status == 1)
        #expect(empty.stderr == "Error: --db is empty: give the database's path\n")
        var ct2 = try Casetrack()
        ct2.environment["CASETRACK_DB"] = ""
        let unset = try ct2.run("case", "add", "--city", "襄阳", "--code", "1", "--year", "2023")
        #expect(unset.status == 1)
        #expect(unset.stderr == "Error: CASETRACK_DB is set but empty: give the database's path, or unset it to use the default\n")
        #expect(!FileManager.default.fileExists(atPath: ct2.defaultDatabase))
    }

    @Test func backupRefusesAMissingFolderAndNamesItsCopyInsideAnExistingOne() throws {
        let ct = try Casetrack()
        try ct.enterSeedCases()
        let missing = ct.home.appendingPathComponent("no/such/x.db").path
        let refused = try ct.run("backup", missing)
        #expect(refused.status == 1)
        #expect(refused.stderr == "Error: cannot write the backup \(missing): the folder \(ct.home.appendingPathComponent("no/such").path) does not exist\n")
        #expect(!FileManager.default.fileExists(atPath: ct.home.appendingPathComponent("no").path))
        let folder = ct.home.appendingPathComponent("backups")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let done = try ct.run("backup", folder.path)
        #expect(done.status == 0)
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(names.count == 1)
        #expect(names.first?.wholeMatch(of: /casetrack-\d{8}-\d{6}\.db/) != nil)
        #expect(try ct.run("backup", "").stderr == "Error: the backup's path is empty: give a file or a folder to write the copy into\n")
    }

    @Test(arguments: Backend.available) func resultListsTellTheYearsOfAReusedCodeApartAndCarryCaseIdAndYear(on backend: Backend) throws {
        let ct = try Casetrack(on: backend)
        try ct.run("case", "add", "--city", "襄阳", "--code", "1.13", "--year", "2022")
        try ct.run("case", "add", "--city", "襄阳", "--code", "1.13", "--year", "2023")
        try ct.run("case", "add", "--city", "鄂州", "--code", "9.9", "--year", "2023")
        try ct.run("arrest", "add", "襄阳/1.13@2022", "--count", "3")
        try ct.run("arrest", "add", "襄阳/1.13@2023", "--count", "4")
        try ct.run("arrest", "add", "鄂州/9.9", "--count", "5")
        let rows = try Casetrack.objects(try ct.run("arrest", "list", "--format", "json").stdout)
        #expect(rows.map { $0["case"] as? String } == ["襄阳\"1.13\"@2022", "襄阳\"1.13\"@2023", "鄂州\"9.9\""])
        #expect(rows.map { $0["case_id"] as? Int } == [1, 2, 3])
        #expect(rows.map { $0["year"] as? Int } == [2022, 2023, 2023])
        let csv = try ct.run("arrest", "list", "--format", "csv").stdout
        #expect(csv.hasPrefix("id,case,case_id,year,count,phase,date,note\n"))
    }

    @Test(arguments: Backend.available) func aDateAfterTodayIsRefusedAndOneBeforeTheOpeningIsWarned(on backend: Backend) throws {
        let ct = try Casetrack(on: backend)
        try ct.run("case", "add", "--city", "襄阳", "--code", "1.13", "--opened", "2023-01-13")
        let before = ct.databaseBytes()
        let future = try ct.run("arrest", "add", "襄阳/1.13", "--count", "3", "--date", "2099-01-01")
        #expect(future.status == 1)
        #expect(future.stderr.hasPrefix("Error: date 2099-01-01 is after today ("))
        #expect(ct.databaseBytes() == before)
        let futureCase = try ct.run("case", "add", "--city", "襄阳", "--code", "2", "--opened", "2099-01-01")
        #expect(futureCase.stderr.hasPrefix("Error: opened 2099-01-01 is after today ("))
        let early = try ct.run("arrest", "add", "襄阳/1.13", "--count", "3", "--date", "2022-12-30")
        #expect(early.status == 0)
        #expect(early.stderr == "warning: the date 2022-12-30 is before the case was opened (2023-01-13); recorded as given\n")
        let imported = #"{"city":"襄阳","code":"1.13","year":2023,"arrests":[{"count":1,"date":"2099-05"}]}"#
        let refused = try ct.run(["import", "-"], stdin: Data(imported.utf8))
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("arrests[0].date: 2099-05 is after today"))
    }

    // On a file only: it also proves change-set ids have no gaps, which a server's sequence
    // does not promise (the tour in PostgresRegisterTests runs undo and redo on both).
    @Test func undoTakesTheNewestChangeInEffectAndRedoReappliesIt() throws {
        let ct = try Casetrack()
        try ct.run("case", "add", "--city", "襄阳", "--code", "1.13", "--year", "2023")
        try ct.run("arrest", "add", "襄阳/1.13", "--count", "3")
        let afterAdd = try ct.run("export").stdout
        let preview = try ct.run("undo", "--dry-run")
        #expect(preview.stdout.hasPrefix("Would undo change set 2 (casetrack arrest add 襄阳/1.13 --count 3, "))
        #expect(preview.stdout.contains("  insert arrest #1 of 襄阳\"1.13\"@2023: id: — → 1, case_id: — → 1, count: — → 3, phase: — → initial"))
        #expect(try ct.run("export").stdout == afterAdd)
        #expect(try ct.run("undo").stdout.hasPrefix("Undid change set 2 "))
        let afterUndo = try ct.run("export").stdout
        #expect(try ct.run("redo").stdout.hasPrefix("Redid (reverted the undo) change set 3 "))
        #expect(try ct.run("export").stdout == afterAdd)
        // After a redo the change is in effect again: undo takes the redo.
        #expect(try ct.run("undo").stdout.hasPrefix("Undid change set 4 (casetrack redo"))
        #expect(try ct.run("export").stdout == afterUndo)
        #expect(try ct.run("redo").status == 0)
        #expect(try ct.run("redo").stderr == "Error: nothing to redo: no undo is in effect\n")
        let ids = try ct.shell("sqlite3 \(ct.defaultDatabase) 'SELECT group_concat(id) FROM change_sets'").stdout
        #expect(ids.trimmingCharacters(in: .whitespacesAndNewlines) == "1,2,3,4,5,6")
    }

    @Test(arguments: Backend.available) func aNoOpEditAndAReimportWriteNothing(on backend: Backend) throws {
        let ct = try Casetrack(on: backend)
        try ct.run("import", ImportCommandTests.seed)
        let before = ct.databaseBytes()
        let edit = try ct.run("case", "edit", "襄阳/1.13", "--category", "电诈")
        #expect(edit.stdout == "No change: case 襄阳\"1.13\"@2023 (id 1) already holds what was given.\n")
        #expect(try ct.run("import", ImportCommandTests.seed).status == 0)
        #expect(ct.databaseBytes() == before)
        #expect(try ct.run("undo", "--dry-run").stdout.hasPrefix("Would undo change set 1 (casetrack import "))
    }
}

/// Output that fails is never reported as success (issue "Hostile paths").
@Suite struct OutputFailureTests {
    @Test(arguments: [["report"], ["case", "list"], ["log"], ["summary", "--year", "2023"], ["check"], ["export"]])
    func aFullDiskOnStandardOutputIsAnErrorInWords(command: [String]) throws {
        let ct = try Casetrack()
        try ct.enterSeedCases()
        let result = try ct.shell("ln -s /dev/full full && \"$CT\" \(command.joined(separator: " ")) > full 2>err.txt; echo \"status $?\"; cat err.txt")
        #expect(result.stdout == "status 1\nError: cannot write standard output: the disk is full\n")
    }

    @Test func aClosedPipeEndsQuietly() throws {
        let ct = try Casetrack()
        try ct.enterSeedCases()
        for _ in 0..<40 { try ct.run("arrest", "add", "襄阳/1.13", "--count", "1") }
        let result = try ct.shell("(\"$CT\" log 2>err.txt; echo \"status $?\" > status.txt) | head -1 >/dev/null; cat status.txt err.txt")
        #expect(result.stdout == "status 0\n")
    }

    @Test(arguments: Backend.available) func dashOWritesAPrivateRegularFileAndReplacesOnlyWithForce(on backend: Backend) throws {
        let ct = try Casetrack(on: backend)
        try ct.enterSeedCases()
        let path = ct.home.appendingPathComponent("report.txt").path
        #expect(try ct.run("report", "-o", path).status == 0)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let first = try String(contentsOfFile: path, encoding: .utf8)
        #expect(first == (try ct.run("report").stdout))
        let again = try ct.run("log", "-o", path)
        #expect(again.status == 1)
        #expect(again.stderr == "Error: \(path) already exists; pass --force to replace it\n")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == first)
        #expect(try ct.run("log", "-o", path, "--force").status == 0)
        #expect(try String(contentsOfFile: path, encoding: .utf8) != first)
        // A FIFO in the test's folder stands for any special file (a device is refused the same way).
        let fifo = ct.home.appendingPathComponent("pipe").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let special = try ct.run("export", "-o", fifo, "--force")
        #expect(special.stderr == "Error: cannot write \(fifo): -o writes regular files only, and it is a FIFO\n")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: ct.home.path).filter { $0.hasPrefix(".casetrack-output") }
        #expect(leftovers.isEmpty)
    }

    @Test(arguments: Backend.available) func aFailedCommandLeavesNoOutputFileBehind(on backend: Backend) throws {
        let ct = try Casetrack(on: backend)
        try ct.enterSeedCases()
        let path = ct.home.appendingPathComponent("show.json").path
        let result = try ct.run("case", "show", "宜昌/9", "-o", path)
        #expect(result.status == 1)
        #expect(!FileManager.default.fileExists(atPath: path))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: ct.home.path).filter { $0.hasPrefix(".casetrack-output") }
        #expect(leftovers.isEmpty)
    }

    @Test func anOlderExportImportedAgainNamesTheRowsItDrops() throws {
        let ct = try Casetrack()
        try ct.run("import", ImportCommandTests.seed)
        let monday = ct.home.appendingPathComponent("monday.jsonl")
        try ct.run("export", "--format", "jsonl").stdout.write(to: monday, atomically: true, encoding: .utf8)
        try ct.run("arrest", "add", "襄阳/1.13", "--count", "40", "--phase", "extended", "--date", "2024-02")
        let preview = try ct.run("import", monday.path, "--dry-run")
        #expect(preview.stdout.contains("\tdrops arrest #5: 40 (extended, 2024-02)\n"), "\(preview.stdout)")
        #expect(preview.stderr.contains("Would drop 1 result row that the file's figures or arrays replace:\n  襄阳\"1.13\"@2023 arrest #5: 40 (extended, 2024-02)\n"), "\(preview.stderr)")
        let applied = try ct.run("import", monday.path)
        #expect(applied.status == 0)
        #expect(applied.stderr.contains("Dropped 1 result row that the file's figures or arrays replace:\n  襄阳\"1.13\"@2023 arrest #5: 40 (extended, 2024-02)\n"), "\(applied.stderr)")
        // The row the file holds as it was is not named.
        #expect(!applied.stderr.contains("arrest #1"))
    }
}
