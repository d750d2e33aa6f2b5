import Testing
@testable import CaseTrackCore

@Suite struct ReportTests {
    @Test func seedCasesGiveTheProvincialTotalsFor2023() throws {
        let report = try TestStore.seeded().report(by: [.year])
        #expect(report.rows.count == 1)
        #expect(report.rows[0].keys == [.number(2023)])
        #expect(report.rows[0].figures == Figures(cases: 3, arrestsInitial: 783, arrestsExtended: 169, gangs: 12, links: 7))
        #expect(report.rows[0].figures.arrests == 952)
    }

    @Test func cityRollsCountiesIntoTheirPrefecture() throws {
        let report = try TestStore.seeded().report(by: [.city, .year])
        let byCity = Dictionary(uniqueKeysWithValues: report.rows.map { ($0.keys[0].description, $0.figures) })
        #expect(byCity["孝感"]?.arrests == 506)
        #expect(byCity["汉川"] == nil)
        #expect(report.rows.map { $0.keys[0].description } == ["襄阳", "鄂州", "孝感"])
    }

    @Test func countyKeepsCountiesApart() throws {
        let report = try TestStore.seeded().report(by: [.county])
        #expect(report.rows.map { $0.keys[0].description } == ["襄阳", "鄂州", "汉川"])
    }

    @Test func cityFilterIncludesTheCountiesUnderAPrefecture() throws {
        let report = try TestStore.seeded().report(by: [.county], filter: CaseFilter(city: "孝感"))
        #expect(report.rows.count == 1 && report.total.arrests == 506)
    }

    @Test func resultsCountInThePeriodOfTheirOwnDate() throws {
        let store = try TestStore.seeded()
        try store.addArrest(to: .id(1), ArrestFields(count: "30", phase: "extended", date: "2024-03-02"))
        let report = try store.report(by: [.year])
        #expect(report.rows.map(\.keys) == [[.number(2023)], [.number(2024)]])
        #expect(report.rows[1].figures == Figures(cases: 0, arrestsExtended: 30))
        let only2024 = try store.report(by: [.city], filter: CaseFilter(year: "2024"))
        #expect(only2024.total.arrests == 30 && only2024.total.cases == 0)
    }

    @Test func resultsKnownOnlyToTheYearFallInAnUnknownQuarter() throws {
        let store = try TestStore.seeded()
        try store.addArrest(to: .id(1), ArrestFields(count: "5", date: "2023-05"))
        let report = try store.report(by: [.quarter])
        let byQuarter = Dictionary(uniqueKeysWithValues: report.rows.map { ($0.keys[0].description, $0.figures) })
        // 襄阳's undated results take the case's opening date (2023-01-13): Q1.
        #expect(byQuarter["2023-Q1"]?.arrests == 249)
        #expect(byQuarter["2023-Q2"]?.arrests == 5)
        // 汉川 and 鄂州 are known only to the year.
        #expect(byQuarter["2023-unknown"]?.arrests == 506 + 197)
        #expect(report.rows.last?.keys == [.text("2023-unknown")])
    }

    @Test func reportKeysAreParsedAndValidated() throws {
        #expect(try ReportKey.parseList("city,year") == [.city, .year])
        #expect(try ReportKey.parseList(" County , category ") == [.county, .category])
        for bad in ["", "city,", "town", "city,city"] {
            #expect(throws: CaseTrackError.self) { try ReportKey.parseList(bad) }
        }
    }

    @Test func anEmptyReportsTotalRowIsAsWideAsItsHeader() throws {
        let table = ReportTable.make(try TestStore.empty().report(by: [.city, .year]))
        #expect(table.total?.count == table.columns.count)
        #expect(Renderer.render(table, as: .table) == """
            city        year  cases  arrests  arrests_initial  arrests_extended  gangs  links
            ----------  ----  -----  -------  ---------------  ----------------  -----  -----
            ----------  ----  -----  -------  ---------------  ----------------  -----  -----
            合计 total            0        0                0                 0      0      0

            """)
    }
}
