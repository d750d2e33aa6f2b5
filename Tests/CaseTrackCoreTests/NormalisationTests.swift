import Testing
@testable import CaseTrackCore

@Suite struct CaseCodeTests {
    @Test(arguments: [
        ("1.13", "1.13"), ("1·13", "1.13"), ("1．13", "1.13"), ("１.１３", "1.13"), ("１·１３", "1.13"),
        ("1・13", "1.13"), (" 6406 ", "6406"), ("“9.9”", "9.9"), ("\"9.9\"", "9.9"), ("「3.15」", "3.15"),
        ("Ａ－１", "A-1"), ("长江一号", "长江一号"),
    ])
    func equivalentSpellingsNormaliseToOneASCIICode(input: String, expected: String) throws {
        #expect(try CaseCode.normalise(input) == expected)
    }

    @Test(arguments: ["", "   ", "\"\"", "a\u{0}b", "1/13", "1@13", String(repeating: "9", count: 65)])
    func unusableCodesAreRejected(input: String) {
        #expect(throws: CaseTrackError.self) { try CaseCode.normalise(input) }
    }
}

@Suite struct CaseReferenceTests {
    @Test(arguments: [
        ("襄阳/1.13", CaseReference.key(city: "襄阳", code: "1.13", year: nil)),
        ("襄阳\"1.13\"", .key(city: "襄阳", code: "1.13", year: nil)),
        ("襄阳“1.13”", .key(city: "襄阳", code: "1.13", year: nil)),
        ("襄阳「1·13」", .key(city: "襄阳", code: "1.13", year: nil)),
        ("襄阳/1.13@2023", .key(city: "襄阳", code: "1.13", year: 2023)),
        ("汉川“6406”@2023", .key(city: "汉川", code: "6406", year: 2023)),
        ("xiangyang/１.１３", .key(city: "xiangyang", code: "1.13", year: nil)),
        ("42", .id(42)),
        ("４２", .id(42)),
    ])
    func referencesInEveryWrittenFormAreRead(input: String, expected: CaseReference) throws {
        #expect(try CaseReference(parsing: input) == expected)
    }

    @Test(arguments: ["", "襄阳", "/1.13", "襄阳/", "襄阳/1.13@23", "襄阳/1.13@abcd", "0", "-3",
        "99999999999999999999", "襄阳\"\"", "襄阳\"1.13"])
    func malformedReferencesAreRejected(input: String) {
        #expect(throws: CaseTrackError.self) { try CaseReference(parsing: input) }
    }
}

@Suite struct PartialDateTests {
    @Test(arguments: [
        ("2023", "2023"), ("2023-01", "2023-01"), ("2023-01-13", "2023-01-13"), ("2023-1-5", "2023-01-05"),
        ("2023/01/13", "2023-01-13"), ("2023.1.13", "2023-01-13"), ("２０２３-０１-１３", "2023-01-13"),
        ("2024-02-29", "2024-02-29"), ("2000-02-29", "2000-02-29"), ("20230113", "2023-01-13"),
        ("2023年3月3日", "2023-03-03"), ("2023年3月", "2023-03"), ("2023年", "2023"),
    ])
    func datesOfEveryPrecisionAreNormalised(input: String, expected: String) throws {
        #expect(try PartialDate(parsing: input).description == expected)
    }

    @Test(arguments: ["2023-02-30", "2023-02-29", "1900-02-29", "2023-13", "2023-00", "2023-04-31", "23",
        "2023-01-13T00:00", "1948", "2101", "", "abcd", "2023--01"])
    func impossibleOrMalformedDatesAreRejected(input: String) {
        #expect(throws: CaseTrackError.self) { try PartialDate(parsing: input) }
    }

    @Test func aRecordedDateAfterTodayIsRefusedWithTodayNamed() throws {
        let today = try PartialDate(parsing: "2026-11-29")
        #expect(throws: CaseTrackError.futureDate(field: "date", value: "2026-11-30", today: "2026-11-29")) {
            try PartialDate(recorded: "2026-11-30", today: today)
        }
        #expect(throws: CaseTrackError.futureDate(field: "opened", value: "2026-12", today: "2026-11-29")) {
            try PartialDate(recorded: "2026-12", field: "opened", today: today)
        }
        #expect(try PartialDate(recorded: "2026-11", today: today).description == "2026-11")
        #expect(try PartialDate(recorded: "2026", today: today).description == "2026")
    }

    @Test func quarterIsKnownOnlyWithTheMonth() throws {
        #expect(try PartialDate(parsing: "2023-05-01").quarter == 2)
        #expect(try PartialDate(parsing: "2023-12").quarter == 4)
        #expect(try PartialDate(parsing: "2023").quarter == nil)
    }
}

@Suite struct ResultCountTests {
    @Test(arguments: [("1", 1), ("249", 249), ("1,000,000", 1_000_000), ("１６９", 169)])
    func countsFromOneToAMillionAreAccepted(input: String, expected: Int) throws {
        #expect(try ResultCount.parse(input) == expected)
    }

    @Test(arguments: ["0", "-5", "1000001", "99999999999999999999", "1.5", "abc", "", "1e3", "12\u{0}"])
    func countsOutsideTheRangeOrNotWholeAreRejected(input: String) {
        #expect(throws: CaseTrackError.self) { try ResultCount.parse(input) }
    }
}

@Suite struct DisplayWidthTests {
    @Test(arguments: [("abc", 3), ("襄阳", 4), ("汉川\"6406\"", 10), ("１２", 4), ("", 0)])
    func cjkCharactersTakeTwoColumns(input: String, expected: Int) {
        #expect(DisplayWidth.of(input) == expected)
    }

    @Test func tablesAlignChineseTextByDisplayWidth() {
        let table = Table(columns: ["city", "arrests"], rows: [[.text("襄阳"), .number(249)], [.text("x"), .number(7)]])
        let lines = Renderer.render(table, as: .table).split(separator: "\n").map(String.init)
        let widths = Set(lines.map(DisplayWidth.of))
        #expect(widths.count == 1, "every line has the same display width: \(lines)")
    }
}

@Suite struct FreeTextTrimmingTests {
    @Test func unicodeWhiteSpaceIsTrimmedAndAZeroWidthSpaceIsKept() throws {
        #expect(try FreeText.validate("  备注\u{3000}\n", field: "note", maxLength: 100) == "备注")
        #expect(try FreeText.validate("\u{3000} ", field: "note", maxLength: 100) == nil)
        #expect(try FreeText.validate("\u{200B}", field: "note", maxLength: 100) == "\u{200B}")
        #expect(try FreeText.validate(" \u{200B} ", field: "note", maxLength: 100) == "\u{200B}")
    }

    @Test func aCSVCellIsTrimmedAsJSONTextIs() throws {
        let columns = Dictionary(uniqueKeysWithValues: CSVLayout.columns.enumerated().map { ($1, $0) })
        var row = Array(repeating: "", count: CSVLayout.columns.count)
        row[columns["city"]!] = " 襄阳 "
        row[columns["code"]!] = "1.13"
        row[columns["opened"]!] = "2023"
        row[columns["note"]!] = "\u{200B}"
        let document = try CSVLayout.document(from: row, columns: columns)
        #expect(document.city == "襄阳")
        #expect(document.note.value == "\u{200B}")
    }
}
