import Testing
@testable import CaseTrackCore

@Suite struct CaseStoreTests {
    @Test func citiesResolveByShortNameFullNamePinyinCodeAndAlias() throws {
        let store = try TestStore.empty()
        for name in ["汉川", "汉川市", "hanchuan", "HanChuan", "420984"] {
            #expect(try store.city(named: name).code == "420984")
        }
        #expect(try store.city(named: "襄樊").shortName == "襄阳")
        #expect(try store.city(named: "汉川").parent == "420900")
        #expect(try store.city(named: "襄阳").level == .prefecture)
        #expect(try store.city(named: "鄂州").code == "420700")
    }

    @Test func unknownCityListsTheClosestKnownOnes() throws {
        let store = try TestStore.empty()
        #expect {
            try store.city(named: "汉州")
        } throws: { error in
            guard case let CaseTrackError.unknownCity(_, suggestions) = error else { return false }
            return suggestions.contains("汉川")
        }
    }

    @Test func categoriesAndLinkTypesResolveByAlias() throws {
        let store = try TestStore.empty()
        #expect(try store.resolve("电诈", in: .category) == "电信网络诈骗")
        #expect(try store.resolve("诈骗", in: .category) == "电信网络诈骗")
        #expect(try store.resolve("跑分", in: .linkType) == "洗钱")
        #expect(throws: CaseTrackError.self) { try store.resolve("走私x", in: .category) }
    }

    @Test func usersCanExtendTheVocabularies() throws {
        let store = try TestStore.empty()
        try store.addEntry("网络谣言", aliases: ["谣言"], to: .category)
        #expect(try store.resolve("谣言", in: .category) == "网络谣言")
        try store.addCity(code: "420999", shortName: "测试县", fullName: "测试县", pinyin: "ceshixian", parent: "孝感")
        #expect(try store.city(named: "ceshixian").parent == "420900")
        #expect(throws: CaseTrackError.self) { try store.addEntry("诈骗", aliases: [], to: .category) }
        #expect(throws: CaseTrackError.self) {
            try store.addCity(code: "420998", shortName: "汉川", fullName: nil, pinyin: nil, parent: nil)
        }
    }

    @Test func addingACaseTwiceNamesTheExistingCase() throws {
        let store = try TestStore.seeded()
        #expect(throws: CaseTrackError.duplicateCase(existing: "襄阳\"1.13\"@2023", id: 1)) {
            try store.addCase(CaseFields(city: "xiangyang", code: "1·13", year: "2023"))
        }
    }

    @Test func aReusedCodeNeedsTheYear() throws {
        let store = try TestStore.seeded()
        try store.addCase(CaseFields(city: "襄阳", code: "1.13", year: "2024"))
        #expect(throws: CaseTrackError.ambiguousReference("襄阳\"1.13\"", candidates: ["襄阳/1.13@2023", "襄阳/1.13@2024"])) {
            try store.findCase(.key(city: "襄阳", code: "1.13", year: nil))
        }
        #expect(try store.findCase(.key(city: "襄阳", code: "1.13", year: 2024)).record.year == 2024)
    }

    @Test func yearFollowsTheOpeningDate() throws {
        let store = try TestStore.empty()
        let added = try store.addCase(CaseFields(city: "襄阳", code: "1", opened: "2023-01-13"))
        #expect(added.record.year == 2023)
        #expect(throws: CaseTrackError.self) {
            try store.addCase(CaseFields(city: "襄阳", code: "2", opened: "2023-01-13", year: "2024"))
        }
        #expect(throws: CaseTrackError.self) { try store.addCase(CaseFields(city: "襄阳", code: "3")) }
        #expect(throws: CaseTrackError.self) { try store.editCase(.id(1), CaseFields(year: "2024")) }
        let moved = try store.editCase(.id(1), CaseFields(opened: "2024-02")).summary
        #expect(moved.record.year == 2024)
    }

    @Test func closingDateClosesTheCaseAndCannotPrecedeTheOpening() throws {
        let store = try TestStore.seeded()
        let closed = try store.editCase(.id(1), CaseFields(closed: "2023-06")).summary
        #expect(closed.record.status == .closed)
        #expect(throws: CaseTrackError.self) { try store.editCase(.id(1), CaseFields(closed: "2023-01-01")) }
        #expect(throws: CaseTrackError.self) { try store.editCase(.id(1), CaseFields(status: "open")) }
        let reopened = try store.editCase(.id(1), CaseFields(closed: "", status: "open")).summary
        #expect(reopened.record.status == .open && reopened.record.closed == nil)
    }

    @Test func editCanClearOptionalFieldsWithAnEmptyValue() throws {
        let store = try TestStore.seeded()
        try store.editCase(.id(1), CaseFields(name: "专案", note: "x"))
        let cleared = try store.editCase(.id(1), CaseFields(category: "", name: "")).summary
        #expect(cleared.record.name == nil && cleared.record.category == nil && cleared.record.note == "x")
    }

    @Test func badInputLeavesTheDatabaseUnchanged() throws {
        let store = try TestStore.seeded()
        let before = try store.dumpContent()
        let attempts: [() throws -> Void] = [
            { _ = try store.addArrest(to: .id(1), ArrestFields(count: "99999999999999999999")) },
            { _ = try store.addArrest(to: .id(1), ArrestFields(count: "5", phase: "later")) },
            { _ = try store.addArrest(to: .id(99), ArrestFields(count: "5")) },
            { _ = try store.addGang(to: .id(1), GangFields(members: "0")) },
            { _ = try store.addLink(to: .id(1), LinkFields(type: "无此类型")) },
            { _ = try store.addCase(CaseFields(city: "襄阳", code: "x", year: "2023", name: String(repeating: "名", count: 1_000_000))) },
            { _ = try store.addCase(CaseFields(city: "襄阳", code: "x\u{0}", year: "2023")) },
            { _ = try store.editCase(.id(2), CaseFields(city: "襄阳", code: "1.13")) },
            { _ = try store.removeResult(.arrest, id: 999) },
        ]
        for attempt in attempts {
            #expect(throws: CaseTrackError.self) { try attempt() }
        }
        #expect(try store.dumpContent() == before)
    }

    @Test func textThatLooksLikeSQLIsStoredLiterally() throws {
        let store = try TestStore.seeded()
        let sneaky = "x'); DROP TABLE cases; --"
        let added = try store.addCase(CaseFields(city: "襄阳", code: sneaky, year: "2023", name: sneaky))
        #expect(added.record.code == sneaky)
        #expect(try store.cases(matching: CaseFilter()).count == 4)
    }

    @Test func caseListFiltersByDivisionIncludingItsCounties() throws {
        let store = try TestStore.seeded()
        #expect(try store.cases(matching: CaseFilter(city: "孝感")).map(\.city) == ["汉川"])
        #expect(try store.cases(matching: CaseFilter(city: "汉川")).count == 1)
        #expect(try store.cases(matching: CaseFilter(year: "2024")).isEmpty)
        #expect(try store.cases(matching: CaseFilter(category: "电诈")).count == 2)
        let hanchuan = try #require(try store.cases(matching: CaseFilter(city: "hanchuan")).first)
        #expect(hanchuan.arrests == 506 && hanchuan.arrestsExtended == 169)
    }
}
