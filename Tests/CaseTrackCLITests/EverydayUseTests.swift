import Foundation
import Testing

/// The rough edges of issue "Everyday use": each as a user met it.
@Suite struct EverydayUseTests {
    @Test(arguments: Backend.available) func aCSVWithChineseHeadersAndStatusesImports(on backend: Backend) throws {
        let ct = try Casetrack(on: backend)
        let csv = try ct.write("台账.csv", """
            城市,编号,立案日期,类别,名称,状态,抓获,其中扩线深挖,团伙,环节,来源,备注
            汉川,6406,2023年6月1日,电诈,汉川"6406"专案,已结,506,169,,,省厅通报,
            襄阳,1.13,20230113,,,在办,249,,12,,,
            """)
        let result = try ct.run("import", csv)
        #expect(result.status == 0, "\(result.stderr)")
        let cases = try Casetrack.objects(try ct.run("case", "list", "--format", "json").stdout)
        #expect(cases.map { $0["status"] as? String } == ["open", "closed"])
        #expect(cases.first { $0["code"] as? String == "6406" }?["opened"] as? String == "2023-06-01")
        #expect(cases.first { $0["code"] as? String == "6406" }?["arrests_extended"] as? Int == 169)
        #expect(cases.first { $0["code"] as? String == "1.13" }?["opened"] as? String == "2023-01-13")
        let excel = try ct.run("export", "--format", "csv", "--excel").stdout
        #expect(excel.hasPrefix("\u{FEFF}城市,编号,立案日期,类别,名称,状态,抓获,其中扩线深挖,团伙,环节,来源,备注\n"))
    }

    @Test(arguments: Backend.available) func anExcelExportKeepsCodesAsTextAndImportsBackUnchanged(on backend: Backend) throws {
        let ct = try Casetrack(on: backend)
        try ct.run("case", "add", "--city", "荆州", "--code", "9.10", "--year", "2023")
        try ct.run("case", "add", "--city", "荆州", "--code", "0012", "--year", "2023", "--name", "=HYPERLINK(\"x\")")
        let path = ct.home.appendingPathComponent("excel.csv").path
        try ct.run("export", "--format", "csv", "--excel", "-o", path)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains("荆州,\"=\"\"9.10\"\"\",2023,"))
        #expect(text.contains("\"'=HYPERLINK(\"\"x\"\")\""))
        let before = ct.databaseBytes()
        #expect(try ct.run("import", path).stderr.hasPrefix("Imported: 0 cases created, 0 updated, 2 unchanged"))
        #expect(ct.databaseBytes() == before)
    }

    @Test(arguments: Backend.available) func everyProblemOfEveryRowIsReported(on backend: Backend) throws {
        let ct = try Casetrack(on: backend)
        let csv = try ct.write("bad.csv", """
            city,code,opened,status,arrests,gangs
            襄阳,1.13,2023-02-30,pending,-3,x
            """)
        let result = try ct.run("import", csv)
        #expect(result.status == 1)
        for expected in [
            "\(csv): line 2: arrests: expected a whole number from 0 to 1,000,000, got '-3'",
            "\(csv): line 2: gangs: expected a whole number from 0 to 1,000,000, got 'x'",
            "\(csv): line 2: opened: must be a date written YYYY",
            "\(csv): line 2: status: must be open (在办) or closed (已结), got 'pending'",
        ] {
            #expect(result.stderr.contains(expected), "missing: \(expected)\n\(result.stderr)")
        }
        #expect(result.stderr.hasPrefix("Error: \(csv): 4 problems in 1 record; nothing was imported"))
    }

    @Test(arguments: Backend.available) func anUnknownCategoryNamesTheWayOutAndAddVocabularyCreatesItAsPartOfTheImport(on backend: Backend) throws {
        let ct = try Casetrack(on: backend)
        let csv = try ct.write("new.csv", """
            city,code,opened,category
            襄阳,7,2023,养老诈骗
            """)
        let refused = try ct.run("import", csv)
        #expect(refused.stderr.contains("unknown category '养老诈骗'"))
        #expect(refused.stderr.contains("to add it: casetrack categories add 养老诈骗 (or import with --add-vocabulary)"))
        let added = try ct.run("import", csv, "--add-vocabulary")
        #expect(added.status == 0)
        #expect(added.stderr.contains("Added category 养老诈骗."))
        #expect(try ct.run("categories", "list").stdout.contains("养老诈骗"))
        #expect(try ct.run("undo").status == 0)
        #expect(!(try ct.run("categories", "list").stdout.contains("养老诈骗")))
    }

    @Test(arguments: Backend.available) func everyRemovalAsksAndTakesYes(on backend: Backend) throws {
        let ct = try Casetrack(on: backend)
        try ct.enterSeedCases()
        let before = ct.databaseBytes()
        let refused = try ct.run("arrest", "rm", "1")
        #expect(refused.status == 1)
        #expect(refused.stderr == "Error: refusing to remove arrest #1: 249 (initial) of 襄阳\"1.13\" without confirmation: pass --yes\n")
        #expect(ct.databaseBytes() == before)
        let removed = try ct.run("arrest", "rm", "1", "--yes")
        #expect(removed.stdout == "Removed arrest #1: 249 (initial) of 襄阳\"1.13\".\n")
        #expect(try ct.run("gang", "rm", "1", "-y").status == 0)
        #expect(try ct.run("link", "rm", "1", "--yes").status == 0)
    }

    @Test(arguments: Backend.available) func aResultRowIsCorrectedInPlaceAndTheEditIsUndoable(on backend: Backend) throws {
        let ct = try Casetrack(on: backend)
        try ct.enterSeedCases()
        let before = try ct.run("export").stdout
        let edited = try ct.run("gang", "edit", "1", "--count", "13", "--name", "跑分团伙")
        #expect(edited.stdout == "Updated gang #1 of 襄阳\"1.13\": count 12 → 13, name — → 跑分团伙.\n")
        let same = try ct.run("gang", "edit", "1", "--count", "13")
        #expect(same.stdout == "No change: gang #1 of 襄阳\"1.13\" already holds what was given.\n")
        let wrong = try ct.run("arrest", "edit", "1", "--date", "2099-01")
        #expect(wrong.stderr == "Error: date 2099-01 is after today (\(try todayText())); a register records what has happened\n")
        #expect(try ct.run("undo").status == 0)
        #expect(try ct.run("export").stdout == before)
    }

    @Test(arguments: Backend.available) func aMistypedCommandGetsDidYouMean(on backend: Backend) throws {
        let ct = try Casetrack(on: backend)
        let result = try ct.run("cases", "list")
        #expect(result.status != 0)
        #expect(result.stderr.hasPrefix("Error: unknown command 'cases' for `casetrack`; did you mean `casetrack case`"))
        #expect(try ct.run("case", "lst").stderr == "Error: unknown command 'lst' for `casetrack case`; did you mean `casetrack case list`?\n")
    }

    @Test(arguments: ["汉川6406", "汉川 6406", "汉川\"6406\"专案", "汉川“6406”专案", "汉川/6406@2023"])
    func aCaseIsFoundHoweverTheShellOrABulletinWroteIt(reference: String) throws {
        let ct = try Casetrack()
        try ct.enterSeedCases()
        let shown = try ct.run("case", "show", reference)
        #expect(shown.status == 0, "\(shown.stderr)")
        #expect(shown.stdout.hasPrefix("汉川\"6406\"@2023  (id 2)"))
    }

    @Test(arguments: Backend.available) func aCityAndCodeTypedAsTwoWordsAreOneReference(on backend: Backend) throws {
        let ct = try Casetrack(on: backend)
        try ct.enterSeedCases()
        #expect(try ct.run("case", "show", "汉川", "6406").stdout.hasPrefix("汉川\"6406\"@2023  (id 2)"))
        #expect(try ct.run("arrest", "add", "汉川", "6406", "--count", "2").stdout == "Recorded 2 initial arrests in 汉川\"6406\" (arrest id 5).\n")
    }

    @Test(arguments: Backend.available) func anAmbiguousReferenceListsTheFormsToType(on backend: Backend) throws {
        let ct = try Casetrack(on: backend)
        try ct.run("case", "add", "--city", "襄阳", "--code", "1.13", "--year", "2022")
        try ct.run("case", "add", "--city", "襄阳", "--code", "1.13", "--year", "2023")
        let result = try ct.run("case", "show", "襄阳1.13")
        #expect(result.stderr == "Error: 襄阳\"1.13\" matches 2 cases; add the year: 襄阳/1.13@2022, 襄阳/1.13@2023\n")
    }

    @Test(arguments: Backend.available) func caseListSortsAndLimits(on backend: Backend) throws {
        let ct = try Casetrack(on: backend)
        try ct.enterSeedCases()
        let rows = try Casetrack.objects(try ct.run("case", "list", "--sort", "-arrests", "--limit", "2", "--format", "json").stdout)
        #expect(rows.map { $0["code"] as? String } == ["6406", "1.13"])
        let bad = try ct.run("case", "list", "--sort", "size")
        #expect(bad.stderr == "Error: cannot sort by 'size'. The fields are id, city, code, year, opened, closed, category, name, status, source, note, arrests, arrests_initial, arrests_extended, gangs, links (-FIELD for descending).\n")
        let typo = try ct.run("case", "list", "--sort", "arest")
        #expect(typo.stderr.hasPrefix("Error: cannot sort by 'arest'; did you mean arrests? The fields are id,"))
    }

    func todayText() throws -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: Date())
    }
}
