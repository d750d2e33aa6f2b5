import Foundation
import GRDB
import Testing
@testable import CaseTrackCore

@Suite struct SearchTests {
    /// 襄阳"1.13" (name 襄阳养老诈骗专案, note 省厅督办), 汉川"6406" (a gang 跑分团伙, a link noted
    /// 涉洗钱), 鄂州"9.9" (note ending in 跑分, source 湖北日报).
    static func store() throws -> CaseStore {
        let store = try CaseStore.inMemory()
        try store.addCase(CaseFields(city: "襄阳", code: "1.13", year: "2023", name: "襄阳养老诈骗专案", note: "省厅督办"))
        try store.addCase(CaseFields(city: "汉川", code: "6406", year: "2023", name: "汉川\"6406\"专案"))
        try store.addGang(to: .key(city: "汉川", code: "6406", year: nil), GangFields(name: "跑分团伙"))
        try store.addLink(to: .key(city: "汉川", code: "6406", year: nil), LinkFields(type: "洗钱", note: "涉洗钱 USDT 跑分平台"))
        try store.addCase(CaseFields(city: "鄂州", code: "9.9", year: "2022", source: "湖北日报", note: "团伙以跑分"))
        return store
    }

    func found(_ store: CaseStore, _ text: String, filter: CaseFilter = CaseFilter()) throws -> [String] {
        try store.search(SearchQuery(parsing: text), filter: filter, limit: 20).hits.map(\.reference)
    }

    @Test func twoCharacterWordsAreFoundInsideLongerText() throws {
        let store = try Self.store()
        #expect(try found(store, "督办") == ["襄阳\"1.13\""])
        #expect(try found(store, "洗钱") == ["汉川\"6406\""])
        #expect(try found(store, "襄阳") == ["襄阳\"1.13\""])
        #expect(try Set(found(store, "跑分")) == ["汉川\"6406\"", "鄂州\"9.9\""])
        #expect(try found(store, "诈骗专案") == ["襄阳\"1.13\""])
    }

    @Test func aWordAtTheVeryEndOfAFieldIsFound() throws {
        // 鄂州's note ends with 跑分: no character follows it in the field.
        let store = try Self.store()
        #expect(try found(store, "以跑分") == ["鄂州\"9.9\""])
        #expect(try found(store, "日报") == ["鄂州\"9.9\""])
    }

    @Test func aLongerWordMatchesOnlyWhereItsCharactersStandTogether() throws {
        let store = try Self.store()
        // 跑分团伙 is in 汉川's gang; 鄂州 has 团伙 and 跑分 apart, which is no match.
        #expect(try found(store, "跑分团伙") == ["汉川\"6406\""])
        #expect(try found(store, "团伙跑分").isEmpty)
        // Words do not run across fields: 汉川's name ends 专案 and its gang begins 跑分.
        #expect(try found(store, "专案跑分").isEmpty)
    }

    @Test func wordsMustAllOccurAndMinusExcludes() throws {
        let store = try Self.store()
        #expect(try found(store, "跑分 洗钱") == ["汉川\"6406\""])
        #expect(try found(store, "跑分 -洗钱") == ["鄂州\"9.9\""])
        #expect(try found(store, "跑分 -\"USDT 跑分\"") == ["鄂州\"9.9\""])
        #expect(try found(store, "\"USDT 跑分\"") == ["汉川\"6406\""])
        #expect(try found(store, "督办 跑分").isEmpty)
    }

    @Test func latinLettersMatchInAnyCase() throws {
        let store = try Self.store()
        #expect(try found(store, "usdt") == ["汉川\"6406\""])
        #expect(try found(store, "Us") == ["汉川\"6406\""])
    }

    @Test func searchTakesTheFiltersOfCaseList() throws {
        let store = try Self.store()
        #expect(try found(store, "跑分", filter: CaseFilter(year: "2022")) == ["鄂州\"9.9\""])
        #expect(try found(store, "跑分", filter: CaseFilter(city: "孝感")) == ["汉川\"6406\""])
        #expect(try store.cases(matching: CaseFilter(search: "跑分 -洗钱")).map(\.label) == ["鄂州\"9.9\""])
        #expect(try store.cases(matching: CaseFilter(search: "不存在")).isEmpty)
    }

    @Test func aOneCharacterWordIsRefusedWithAReason() throws {
        #expect(throws: CaseTrackError.input(
            "'跑' is one character; a search word needs at least two (one Chinese character matches far too much: "
                + "跑 is in 跑分 and 逃跑 alike). Search for a word such as 跑分, or a phrase in quotes")
        ) { try SearchQuery(parsing: "跑分 跑") }
        #expect(throws: CaseTrackError.input("every word is excluded (-WORD): give at least one word to look for")) {
            try SearchQuery(parsing: "-跑分")
        }
        #expect(throws: CaseTrackError.input("nothing to search for: give at least one word of two characters or more")) {
            try SearchQuery(parsing: "  \u{3000} ")
        }
        #expect(throws: CaseTrackError.input("the phrase \"跑分 团伙… has no closing quote (\")")) {
            try SearchQuery(parsing: "\"跑分 团伙")
        }
    }

    @Test func theCaseThatSaysTheWordMoreOftenRanksFirst() throws {
        let store = try CaseStore.inMemory()
        try store.addCase(CaseFields(city: "襄阳", code: "1", year: "2023", note: "一般案件，偶涉跑分，另有其他大量无关文字说明情况"))
        try store.addCase(CaseFields(city: "襄阳", code: "2", year: "2023", note: "跑分跑分跑分"))
        #expect(try found(store, "跑分") == ["襄阳\"2\"", "襄阳\"1\""])
    }

    @Test func theMatchIsShownFieldByFieldWithTheWordsMarked() throws {
        let hits = try Self.store().search(SearchQuery(parsing: "跑分 洗钱"), limit: 20).hits
        let snippet = Snippet(fields: hits[0].texts, words: ["跑分", "洗钱"], open: "[", close: "]")
        #expect(snippet.fields == ["gang", "link note"])
        #expect(snippet.text == "[跑分]团伙 … 涉[洗钱] USDT [跑分]平台")
        let long = String(repeating: "甲", count: 40) + "督办" + String(repeating: "乙", count: 40)
        let cut = Snippet(fields: [("note", long)], words: ["督办"], open: "[", close: "]")
        #expect(cut.text == "…" + String(repeating: "甲", count: 16) + "[督办]" + String(repeating: "乙", count: 16) + "…")
    }

    @Test func theIndexFollowsEveryWriteAndCheckAgrees() throws {
        let store = try Self.store()
        try store.editCase(.key(city: "襄阳", code: "1.13", year: nil), CaseFields(note: "部督"))
        #expect(try found(store, "督办").isEmpty)
        #expect(try found(store, "部督") == ["襄阳\"1.13\""])
        // Writes behind casetrack's back (as from the sqlite3 shell) are indexed by the triggers.
        try store.dbQueue.write { db in
            try db.execute(sql: "UPDATE gangs SET name = '赌博团伙' WHERE name = '跑分团伙'")
            try db.execute(sql: "INSERT INTO gangs (case_id, name) SELECT id, '督办团伙' FROM cases WHERE code = '9.9'")
            try db.execute(sql: "UPDATE links SET case_id = (SELECT id FROM cases WHERE code = '1.13')")
        }
        #expect(try found(store, "赌博") == ["汉川\"6406\""])
        #expect(try found(store, "督办") == ["鄂州\"9.9\""])
        #expect(try found(store, "洗钱") == ["襄阳\"1.13\""])
        #expect(try store.check() == [])
        try store.removeCase(.key(city: "鄂州", code: "9.9", year: nil))
        #expect(try found(store, "督办").isEmpty)
        let problems = try store.check()
        #expect(problems == [])
        _ = try store.undo()
        #expect(try found(store, "督办") == ["鄂州\"9.9\""])
        #expect(try store.check() == [])
    }

    @Test func checkReportsAnIndexOutOfStep() throws {
        let store = try Self.store()
        try store.dbQueue.write { db in
            try db.execute(sql: "DROP TRIGGER case_search_case_before_update")
            try db.execute(sql: "UPDATE cases SET note = '改写' WHERE code = '1.13'")
        }
        #expect(try store.check().contains(
            "the search index differs from the cases' text (`casetrack check --repair` rebuilds it)"))
        try store.dbQueue.write { db in
            try db.execute(sql: "INSERT INTO case_search (case_search) VALUES ('rebuild')")
            try db.execute(sql: "INSERT INTO case_search (case_search, rowid, text) SELECT 'delete', id, text FROM case_search_text WHERE id = 2")
        }
        #expect(try store.check().contains("search index entries out of step with the cases: case 2"))
    }

    /// The views are a stable interface: their columns, in order, with their declared types.
    @Test func theViewsKeepTheirShape() throws {
        let store = try TestStore.seeded()
        let shape = try store.dbQueue.read { db in
            try ["cases_v", "results_v", "totals_v"].map { view in
                view + ": " + (try Row.fetchAll(db, sql: "PRAGMA table_info(\(view))").map { row -> String in
                    let type: String = row["type"]
                    return type.isEmpty ? row["name"] : "\(row["name"] as String) \(type)"
                }.joined(separator: ", "))
            }.joined(separator: "\n") + "\n"
        }
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/views.txt")
        let expected = try String(contentsOf: url, encoding: .utf8)
        #expect(shape == expected, "a view changed shape: add columns only at the end, and update Fixtures/views.txt and the README")
    }

    @Test func theViewsAnswerWithTheRegistersFigures() throws {
        let store = try TestStore.seeded()
        let rows = try store.dbQueue.read { db in
            try Row.fetchAll(db, sql: "SELECT ref, prefecture, arrests, arrests_extended, gangs, links FROM cases_v ORDER BY id")
                .map { "\($0[0] as String) \($0[1] as String) \($0[2] as Int) \($0[3] as Int) \($0[4] as Int) \($0[5] as Int)" }
        }
        #expect(rows == ["襄阳\"1.13\" 襄阳 249 0 12 0", "汉川\"6406\" 孝感 506 169 0 0", "鄂州\"9.9\" 鄂州 197 0 0 7"])
        let results = try store.dbQueue.read { db in
            try Int.fetchOne(db, sql: "SELECT sum(count) FROM results_v WHERE kind = 'arrest' AND prefecture = '孝感' AND phase = 'extended'")
        }
        #expect(results == 169)
        let totals = try store.dbQueue.read { db in
            try String.fetchAll(db, sql: "SELECT period || ' ' || city || ' ' || arrests FROM totals_v ORDER BY case_id")
        }
        #expect(totals == ["2023-01 襄阳 249", "2023-unknown 汉川 506", "2023-unknown 鄂州 197"])
    }
}
