import Foundation
import Testing

@Suite struct ImportCommandTests {
    static func fixture(_ name: String) -> String { Casetrack.fixtures.appendingPathComponent(name).path }
    static let seed = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("seed/hubei-2023.jsonl").path

    @Test(arguments: Backend.available) func seedFileGivesThe2023TotalsAndReimportingChangesNothing(on backend: Backend) throws {
        let ct = try Casetrack(on: backend)
        let first = try ct.run("import", Self.seed)
        #expect(first.status == 0)
        #expect(first.stderr.contains("Imported: 3 cases created, 0 updated, 0 unchanged; 6 result rows written"))
        let afterFirst = try ct.dump()
        let second = try ct.run("import", Self.seed)
        #expect(second.stderr.contains("Imported: 0 cases created, 0 updated, 3 unchanged; 0 result rows written"))
        #expect(try ct.dump() == afterFirst)
        let report = try Casetrack.objects(try ct.run("report", "--by", "year", "--format", "json").stdout)
        #expect(report.first?["arrests"] as? Int == 952)
        #expect(report.first?["arrests_extended"] as? Int == 169)
        #expect(report.first?["gangs"] as? Int == 12)
        #expect(report.first?["links"] as? Int == 7)
    }

    @Test func anEmptyFileIsSaidToBeEmptyNotCountedAsABadRecord() throws {
        let ct = try Casetrack()
        try ct.run("import", Self.seed)
        let before = ct.databaseBytes()
        let expected = [
            "json": "the file is empty; expected a JSON array",
            "jsonl": "the file is empty; expected one JSON document per line",
            "csv": "the file is empty; expected the header city,code,opened,category,name,status,arrests,arrests_extended,gangs,links,source,note",
        ]
        for (format, message) in expected {
            let file = ct.home.appendingPathComponent("empty.\(format)")
            try Data().write(to: file)
            let result = try ct.run("import", file.path)
            #expect(result.status == 1)
            #expect(result.stderr == "Error: \(file.path): \(message); nothing was imported\n")
            #expect(ct.databaseBytes() == before)
        }
    }

    @Test func oneCaseAndOneResultRowAreCountedInTheSingular() throws {
        let ct = try Casetrack()
        let file = ct.home.appendingPathComponent("one.jsonl")
        try #"{"city":"襄阳","code":"1.13","year":2023,"arrests":[{"count":5}]}"#.write(to: file, atomically: true, encoding: .utf8)
        #expect(try ct.run("import", file.path, "--dry-run").stderr.hasPrefix(
            "Dry run, nothing written: would create 1 case, update 0, leave 0 unchanged; 1 result row ("))
        #expect(try ct.run("import", file.path).stderr.hasPrefix("Imported: 1 case created, 0 updated, 0 unchanged; 1 result row written ("))
    }

    @Test func aDryRunListsEachConflictOnceAndSaysTheImportWouldBeRefused() throws {
        let ct = try Casetrack()
        try ct.run("import", Self.seed)
        let file = ct.home.appendingPathComponent("lower.csv")
        try ct.run("export", "--format", "csv").stdout.replacingOccurrences(of: ",249,", with: ",240,")
            .write(to: file, atomically: true, encoding: .utf8)
        let before = ct.databaseBytes()
        let result = try ct.run("import", file.path, "--dry-run")
        #expect(result.status == 1)
        #expect(result.stdout.hasPrefix("conflict\t襄阳\"1.13\"@2023\n\tconflict arrests_initial: register 249 (1 row), file 240\n"))
        #expect(result.stderr == """
            Error: \(file.path): dry run, nothing written: the import would be refused, since 1 figure differs from the register (the conflict lines above).
            To keep the register's figures and apply the rest, add --on-conflict keep; to take the file's, --on-conflict file.

            """)
        #expect(ct.databaseBytes() == before)
    }

    @Test(arguments: Backend.available) func exportOfTheSeedReproducesTheSeedFile(on backend: Backend) throws {
        let ct = try Casetrack(on: backend)
        try ct.run("import", Self.seed)
        #expect(try ct.run("export").stdout == String(contentsOfFile: Self.seed, encoding: .utf8))
    }

    @Test(arguments: ["json", "jsonl", "csv"])
    func exportImportExportRoundTripsAwkwardText(format: String) throws {
        let ct = try Casetrack()
        #expect(try ct.run("import", Self.fixture("awkward.jsonl")).status == 0)
        #expect(try ct.run("import", Self.fixture("awkward.csv"), "--db", ct.home.appendingPathComponent("csv.db").path).status == 0)
        for source in [ct.defaultDatabase, ct.home.appendingPathComponent("csv.db").path] {
            let exported = try ct.run("export", "--format", format, "--db", source).stdout
            let file = ct.home.appendingPathComponent("out-\(UUID().uuidString).\(format)")
            try exported.write(to: file, atomically: true, encoding: .utf8)
            let fresh = ct.home.appendingPathComponent("fresh-\(UUID().uuidString).db").path
            let imported = try ct.run("import", file.path, "--db", fresh)
            #expect(imported.status == 0, "\(imported.stderr)")
            #expect(try ct.run("export", "--format", format, "--db", fresh).stdout == exported)
        }
    }

    @Test(arguments: Backend.available) func jsonDocumentsKeepEveryResultRowAndQuotedText(on backend: Backend) throws {
        let ct = try Casetrack(on: backend)
        try ct.run("import", Self.fixture("awkward.jsonl"))
        let exported = try ct.run("export", "--format", "json").stdout
        let documents = try Casetrack.objects(exported)
        let xiangyang = try #require(documents.first)
        #expect(xiangyang["name"] as? String == "a, \"b\"\nc")
        #expect((xiangyang["arrests"] as? [[String: Any]])?.map { $0["count"] as? Int } == [200, 49])
        #expect((xiangyang["gangs"] as? [[String: Any]])?.first?["members"] as? Int == 14)
        #expect((xiangyang["links"] as? [[String: Any]])?.first?["type"] as? String == "洗钱")
        #expect(Array(xiangyang.keys).count == 13)
    }

    @Test(arguments: Backend.available) func csvRowsBecomeTotalsWithTheExtendedPartSplitOff(on backend: Backend) throws {
        let ct = try Casetrack(on: backend)
        #expect(try ct.run("import", Self.fixture("awkward.csv")).status == 0)
        let arrests = try Casetrack.objects(try ct.run("arrest", "list", "汉川/6406", "--format", "json").stdout)
        #expect(arrests.map { $0["count"] as? Int } == [337, 169])
        #expect(arrests.map { $0["phase"] as? String } == ["initial", "extended"])
        let cases = try Casetrack.objects(try ct.run("case", "list", "--format", "json").stdout)
        #expect(cases.first { $0["city"] as? String == "鄂州" }?["code"] as? String == "9.9")
        #expect(cases.first { $0["city"] as? String == "汉川" }?["category"] as? String == "电信网络诈骗")
        let csv = try ct.run("export", "--format", "csv").stdout
        #expect(csv.contains("汉川,6406,2023,电信网络诈骗,汉川“6406”专案,open,506,169,0,0,,"))
        #expect(csv.contains("\"多行\n备注：\"\"引号\"\"与逗号,\""))
    }

    @Test(arguments: Backend.available) func gb18030AndByteOrderMarkInputIsAccepted(on backend: Backend) throws {
        let ct = try Casetrack(on: backend)
        let refused = try ct.run("import", Self.fixture("gb18030.csv"))
        #expect(refused.status != 0 && refused.stderr.contains("--encoding gb18030"))
        #expect(try ct.run("import", Self.fixture("gb18030.csv"), "--encoding", "gb18030").status == 0)
        let fromGB = try ct.run("export", "--format", "csv").stdout
        let bom = ct.home.appendingPathComponent("bom.db").path
        #expect(try ct.run("import", Self.fixture("bom.csv"), "--db", bom).status == 0)
        #expect(try ct.run("export", "--format", "csv", "--db", bom).stdout == fromGB)
        #expect(fromGB.hasPrefix("city,code,opened"))
        let excel = try ct.run("export", "--format", "csv", "--excel").stdout
        #expect(excel.utf8.prefix(3).elementsEqual([0xEF, 0xBB, 0xBF]))
    }

    @Test(arguments: Backend.available) func aFileWhoseLastRecordIsBadImportsNothing(on backend: Backend) throws {
        let ct = try Casetrack(on: backend)
        try ct.enterSeedCases()
        let before = try ct.dump()
        let result = try ct.run("import", Self.fixture("bad-last-record.jsonl"))
        #expect(result.status != 0)
        #expect(result.stderr.contains("bad-last-record.jsonl: line 3: arrests[0].count: must be a whole number from 1 to 1,000,000, got '-1'"))
        #expect(result.stderr.contains("nothing was imported"))
        #expect(try ct.dump() == before)
    }

    @Test(arguments: Backend.available) func everyBadRecordIsReportedWithItsLineAndField(on backend: Backend) throws {
        let ct = try Casetrack(on: backend)
        try ct.run("init")
        let before = try ct.dump()
        let result = try ct.run("import", Self.fixture("bad-records.jsonl"))
        #expect(result.status != 0 && !result.crashed)
        for expected in [
            "line 1: arrests[0].count: must be a whole number",
            "line 2: city: unknown city '汉州'; closest known:",
            "line 3: arrests[0].phase: must be initial or extended",
            "line 4: malformed JSON",
            "line 5: gangs[0].count: expected a whole number, found the text \"12\"",
            "line 6: colour: unknown field",
            "line 8: code: case 襄阳\"7\"@2023 appears more than once in this file",
        ] {
            #expect(result.stderr.contains(expected), "missing: \(expected)\n\(result.stderr)")
        }
        #expect(!result.stderr.contains("line 7:"))
        #expect(try ct.dump() == before)
    }

    @Test(arguments: [
        ("wrong-header.csv", "line 1: header: wrong CSV header (missing opened; unknown 'year')"),
        ("extended-exceeds-total.csv", "line 2: arrests_extended: 169 exceeds the case's total arrests (100)"),
        ("nul.jsonl", "line 2: contains a NUL byte"),
        ("invalid-utf8.jsonl", "line 1: is not valid UTF-8"),
    ])
    func malformedFilesAreRefusedWithTheirPlace(file: String, message: String) throws {
        let ct = try Casetrack()
        try ct.enterSeedCases()
        let before = try ct.dump()
        let result = try ct.run("import", Self.fixture(file))
        #expect(result.status != 0 && !result.crashed)
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(try ct.dump() == before)
    }

    @Test(arguments: Backend.available) func jsonArrayErrorsNameTheIndex(on backend: Backend) throws {
        let ct = try Casetrack(on: backend)
        let input = #"[{"city":"襄阳","code":"1","year":2023}, {"city":"襄阳","code":"2","year":20233}, 5]"#
        let result = try ct.run(["import", "-", "--format", "json"], stdin: Data(input.utf8))
        #expect(result.status != 0)
        #expect(result.stderr.contains("standard input: index 1: year: must be a whole number from 1949 to 2100"))
        #expect(result.stderr.contains("standard input: index 2: document: expected a JSON object"))
    }

    @Test(arguments: Backend.available) func dryRunPrintsThePlanAndWritesNothing(on backend: Backend) throws {
        let ct = try Casetrack(on: backend)
        try ct.run("import", Self.fixture("array.json"))
        try ct.run("case", "edit", "汉川/6406", "--name", "改过的名字")
        let before = try ct.dump()
        let result = try ct.run("import", Self.seed, "--dry-run")
        #expect(result.status == 0)
        #expect(result.stdout.contains("update\t襄阳\"1.13\"@2023"))
        #expect(result.stdout.contains("update\t汉川\"6406\"@2023"))
        #expect(result.stderr.contains("nothing written"))
        #expect(try ct.dump() == before)
    }

    @Test(arguments: Backend.available) func anExistingCaseTakesTheDocumentsFieldsAndResults(on backend: Backend) throws {
        let ct = try Casetrack(on: backend)
        try ct.run("import", Self.seed)
        try ct.run("arrest", "add", "襄阳/1.13", "--count", "5", "--phase", "extended")
        let result = try ct.run("import", Self.seed)
        #expect(result.stderr.contains("Imported: 0 cases created, 1 updated, 2 unchanged; 1 result row written"))
        let arrests = try Casetrack.objects(try ct.run("arrest", "list", "襄阳/1.13", "--format", "json").stdout)
        #expect(arrests.map { $0["count"] as? Int } == [249])
    }

    @Test(arguments: Backend.available) func standardInputIsReadWithTheFormatSniffed(on backend: Backend) throws {
        let ct = try Casetrack(on: backend)
        let seed = try Data(contentsOf: URL(fileURLWithPath: Self.seed))
        #expect(try ct.run(["import", "-"], stdin: seed).status == 0)
        let csv = try Data(contentsOf: URL(fileURLWithPath: Self.fixture("awkward.csv")))
        let other = ct.home.appendingPathComponent("csv.db").path
        #expect(try ct.run(["import", "-", "--db", other], stdin: csv).status == 0)
        #expect(try ct.run("case", "list", "--db", other, "--format", "csv").stdout.contains("6406"))
        let array = try Data(contentsOf: URL(fileURLWithPath: Self.fixture("array.json")))
        let third = ct.home.appendingPathComponent("json.db").path
        #expect(try ct.run(["import", "-", "--db", third], stdin: array).status == 0)
    }

    @Test(arguments: Backend.available) func exportFiltersLikeCaseListAndWritesPrivateFiles(on backend: Backend) throws {
        let ct = try Casetrack(on: backend)
        try ct.run("import", Self.seed)
        let only = try ct.run("export", "--city", "孝感").stdout
        #expect(only.split(separator: "\n").count == 1 && only.contains("6406"))
        let file = ct.home.appendingPathComponent("out.jsonl").path
        #expect(try ct.run("export", "-o", file).status == 0)
        #expect(try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int == 0o600)
        #expect(try String(contentsOfFile: file, encoding: .utf8) == String(contentsOfFile: Self.seed, encoding: .utf8))
    }

    @Test func resultDatesBeforeTheOpeningAreNamedOnlyWhenTheImportWritesThem() throws {
        let ct = try Casetrack()
        let file = try ct.write("early.jsonl", """
            {"city":"襄阳","code":"1.13","opened":"2023-06","arrests":[{"count":3,"date":"2023-01"}]}

            """)
        let first = try ct.run("import", file)
        #expect(first.status == 0)
        #expect(first.stderr.contains("warning: 襄阳\"1.13\"@2023: 1 result date is before the case was opened (2023-06): 2023-01; recorded as given"), "\(first.stderr)")
        // The same file again changes nothing, and so records nothing to warn about.
        let again = try ct.run("import", file)
        #expect(again.status == 0 && again.stderr.contains("Imported: 0 cases created, 0 updated, 1 unchanged"), "\(again.stderr)")
        #expect(!again.stderr.contains("warning"), "\(again.stderr)")
    }

    @Test func aCSVFileReadAsJSONIsNamedAsCSV() throws {
        let ct = try Casetrack()
        let file = try ct.write("cases.json", "city,code,year\n襄阳,1.13,2023\n")
        let result = try ct.run("import", file, "--format", "json")
        #expect(result.status == 1)
        #expect(result.stderr.contains("index 0: expected a JSON array of case documents (the text looks like CSV or plain text: for a CSV file use --format csv, for one document per line --format jsonl)"), "\(result.stderr)")
    }
}

@Suite struct ImportFormatTests {
    @Test(arguments: Backend.available) func aDefaultExportSavedAsJSONImportsAsWhatItIs(on backend: Backend) throws {
        let ct = try Casetrack(on: backend)
        try ct.enterSeedCases()
        let file = ct.home.appendingPathComponent("all.json")
        try ct.run("export").stdout.write(to: file, atomically: true, encoding: .utf8)
        let other = ct.home.appendingPathComponent("other.db").path
        let result = try ct.run("import", file.path, "--db", other)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try ct.run("export", "--db", other).stdout == ct.run("export").stdout)
    }
}
