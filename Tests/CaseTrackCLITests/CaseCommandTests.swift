import Foundation
import Testing

@Suite struct SeedScenarioTests {
    @Test(arguments: Backend.available) func seedCasesEnteredByCommandsGiveThe2023Totals(on backend: Backend) throws {
        let ct = try Casetrack(on: backend)
        try ct.enterSeedCases()
        let result = try ct.run("report", "--by", "year", "--format", "json")
        #expect(result.status == 0)
        let rows = try Casetrack.objects(result.stdout)
        #expect(rows.count == 1)
        let row = try #require(rows.first)
        #expect(row["year"] as? Int == 2023)
        #expect(row["cases"] as? Int == 3)
        #expect(row["arrests"] as? Int == 952)
        #expect(row["arrests_initial"] as? Int == 783)
        #expect(row["arrests_extended"] as? Int == 169)
        #expect(row["gangs"] as? Int == 12)
        #expect(row["links"] as? Int == 7)
    }

    @Test(arguments: Backend.available) func reportByCityAndYearPutsHanchuanUnderXiaogan(on backend: Backend) throws {
        let ct = try Casetrack(on: backend)
        try ct.enterSeedCases()
        let rows = try Casetrack.objects(try ct.run("report", "--by", "city,year", "--format", "json").stdout)
        let xiaogan = try #require(rows.first { $0["city"] as? String == "孝感" })
        #expect(xiaogan["arrests"] as? Int == 506)
        #expect(xiaogan["arrests_extended"] as? Int == 169)
        #expect(!rows.contains { $0["city"] as? String == "汉川" })
        let table = try ct.run("report").stdout
        #expect(table.contains("孝感"))
        #expect(table.contains("952"))
    }

    @Test(arguments: Backend.available) func caseListJSONCarriesTheDocumentedFields(on backend: Backend) throws {
        let ct = try Casetrack(on: backend)
        try ct.enterSeedCases()
        let result = try ct.run("case", "list", "--city", "孝感", "--format", "json")
        let rows = try Casetrack.objects(result.stdout)
        #expect(rows.count == 1)
        let row = try #require(rows.first)
        #expect(Set(row.keys) == [
            "id", "city", "code", "year", "opened", "closed", "category", "name", "status", "source", "note",
            "arrests", "arrests_initial", "arrests_extended", "gangs", "links",
        ])
        #expect(row["city"] as? String == "汉川")
        #expect(row["arrests"] as? Int == 506)
        #expect(result.stdout.contains("\"id\":2,\"city\":\"汉川\",\"code\":\"6406\""), "fields keep their documented order")
    }

    @Test(arguments: ["table", "csv", "tsv", "json", "jsonl", "markdown"])
    func everyFormatPrintsTheCases(format: String) throws {
        let ct = try Casetrack()
        try ct.enterSeedCases()
        let result = try ct.run("case", "list", "--format", format)
        #expect(result.status == 0)
        #expect(result.stdout.contains("襄阳") && result.stdout.contains("6406") && result.stdout.contains("9.9"))
    }

    @Test(arguments: Backend.available) func csvQuotesFieldsWithCommasQuotesAndNewlines(on backend: Backend) throws {
        let ct = try Casetrack(on: backend)
        try ct.run("case", "add", "--city", "襄阳", "--code", "1", "--year", "2023", "--name", "a, \"b\"\nc")
        let csv = try ct.run("case", "list", "--format", "csv").stdout
        #expect(csv.contains("\"a, \"\"b\"\"\nc\""))
    }
}

@Suite struct CaseCommandTests {
    @Test func databaseFolderAndFileAreCreatedPrivate() throws {
        let ct = try Casetrack()
        let result = try ct.run("init")
        #expect(result.status == 0)
        #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == ct.defaultDatabase)
        let folder = (ct.defaultDatabase as NSString).deletingLastPathComponent
        let folderMode = try FileManager.default.attributesOfItem(atPath: folder)[.posixPermissions] as? Int
        let fileMode = try FileManager.default.attributesOfItem(atPath: ct.defaultDatabase)[.posixPermissions] as? Int
        #expect(folderMode == 0o700)
        #expect(fileMode == 0o600)
    }

    @Test func dbOptionWorksBeforeOrAfterTheCommandAndFromTheEnvironment() throws {
        var ct = try Casetrack()
        let path = ct.home.appendingPathComponent("other.db").path
        #expect(try ct.run("--db", path, "case", "add", "--city", "襄阳", "--code", "1", "--year", "2023").status == 0)
        #expect(try ct.run("case", "list", "--db", path, "--format", "csv").stdout.contains("襄阳"))
        ct.environment["CASETRACK_DB"] = path
        #expect(try ct.run("case", "show", "襄阳/1").status == 0)
        #expect(!FileManager.default.fileExists(atPath: ct.defaultDatabase))
    }

    @Test(arguments: Backend.available) func showPrintsTheCaseWithItsResults(on backend: Backend) throws {
        let ct = try Casetrack(on: backend)
        try ct.enterSeedCases()
        let text = try ct.run("case", "show", "汉川/6406").stdout
        #expect(text.contains("汉川\"6406\"@2023"))
        #expect(text.contains("506") && text.contains("169") && text.contains("孝感"))
        let json = try JSONSerialization.jsonObject(with: Data(try ct.run("case", "show", "2", "--format", "json").stdout.utf8)) as? [String: Any]
        let results = json?["results"] as? [String: Any]
        #expect((results?["arrests"] as? [Any])?.count == 2)
    }

    @Test(arguments: Backend.available) func editChangesOnlyTheGivenFields(on backend: Backend) throws {
        let ct = try Casetrack(on: backend)
        try ct.enterSeedCases()
        #expect(try ct.run("case", "edit", "鄂州/9.9", "--name", "鄂州9.9诈骗案", "--status", "closed").status == 0)
        let rows = try Casetrack.objects(try ct.run("case", "list", "--city", "鄂州", "--format", "json").stdout)
        #expect(rows.first?["name"] as? String == "鄂州9.9诈骗案")
        #expect(rows.first?["status"] as? String == "closed")
        #expect(rows.first?["links"] as? Int == 7)
    }

    @Test(arguments: Backend.available) func removeRefusesWithoutATerminalUnlessYes(on backend: Backend) throws {
        let ct = try Casetrack(on: backend)
        try ct.enterSeedCases()
        let before = try ct.dump()
        let refused = try ct.run("case", "rm", "襄阳/1.13")
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("--yes"))
        #expect(try ct.dump() == before)
        #expect(try ct.run("case", "rm", "襄阳/1.13", "--yes").status == 0)
        #expect(try ct.run("arrest", "list", "--format", "json").stdout.contains("襄阳") == false)
    }

    @Test(arguments: Backend.available) func resultRowsAreListedAndRemovedById(on backend: Backend) throws {
        let ct = try Casetrack(on: backend)
        try ct.enterSeedCases()
        let arrests = try Casetrack.objects(try ct.run("arrest", "list", "汉川/6406", "--format", "json").stdout)
        #expect(arrests.map { $0["count"] as? Int } == [337, 169])
        #expect(arrests.last?["phase"] as? String == "extended")
        let id = try #require(arrests.last?["id"] as? Int)
        #expect(try ct.run("arrest", "rm", String(id), "--yes").status == 0)
        let report = try Casetrack.objects(try ct.run("report", "--by", "year", "--format", "json").stdout)
        #expect(report.first?["arrests"] as? Int == 952 - 169)
        #expect(try Casetrack.objects(try ct.run("gang", "list", "--format", "json").stdout).first?["count"] as? Int == 12)
        #expect(try Casetrack.objects(try ct.run("link", "list", "鄂州/9.9", "--format", "json").stdout).first?["count"] as? Int == 7)
    }

    @Test(arguments: Backend.available) func vocabulariesAreListedAndExtended(on backend: Backend) throws {
        let ct = try Casetrack(on: backend)
        #expect(try ct.run("cities", "--format", "csv").stdout.contains("420984,汉川,汉川市,hanchuan,county,孝感"))
        #expect(try ct.run("categories").stdout.contains("电信网络诈骗"))
        #expect(try ct.run("link-types", "add", "虚拟货币", "--alias", "币商").status == 0)
        #expect(try ct.run("case", "add", "--city", "鄂州", "--code", "1", "--year", "2023").status == 0)
        #expect(try ct.run("link", "add", "鄂州/1", "--type", "币商").status == 0)
        #expect(try ct.run("link", "list", "--format", "csv").stdout.contains("虚拟货币"))
    }
}
