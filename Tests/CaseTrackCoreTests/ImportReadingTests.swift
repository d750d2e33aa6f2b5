import Foundation
import Testing
@testable import CaseTrackCore

/// The import's reading shortcuts (dates read from their bytes, unknown keys found by the byte
/// scan, duplicate keys found without sets) answer exactly as the general ways they stand in for.
@Suite struct ImportReadingTests {
    /// The outcome of reading a date: its text, or the message of its error.
    private static func outcome(_ body: () throws -> PartialDate) -> String {
        do { return "ok " + (try body()).description } catch { return "error \(error)" }
    }

    static let awkwardDates = [
        "2023", "2023-01", "2023-01-13", "2023-1-5", "2023/01/13", "2023.1.13", "2024-02-29", "2000-02-29",
        "1900-02-29", "2023-02-29", "2023-02-30", "2023-04-31", "2023-13", "2023-00", "2023-01-00", "2023-01-32",
        "23-01-01", "23", "202", "20230", "20231", "2023-", "-2023", "2023--01", "2023-01-", "2023-1-1-1",
        "2023-001", "2023-01-001", "20230113", "20231301", "20230230", "2023011", "202301133", "1948", "1949",
        "2100", "2101", "0000", "9999", "", " ", "abcd", "2023-01-13T00:00", "2023-0a", "+2023", "2023 ",
        " 2023", " 2023-01-13 ", "\t2023", "2023\u{3000}", "２０２３-０１-１３", "２０２３", "2023年3月3日",
        "2023年3月", "2023年", "2023年13月", "2023年2月30日", "2023-01-1３", "2023‐01‐13", "2023_01_13",
        "2023/1", "2023.12", "2023.12.31", "1999-12-31", "2023-1/5", "２０２３０１１３", "٢٠٢٣", "2023-0١",
        "2023\u{0}", "2023-01-13\n", "é", "2023-01-13日",
    ]

    @Test(arguments: awkwardDates)
    func aDateIsReadAlikeFromItsBytesAndByTheGeneralPath(text: String) {
        let fast = Self.outcome { try PartialDate(parsing: text, field: "opened") }
        let general = Self.outcome { try PartialDate.parseGeneral(text, field: "opened") }
        #expect(fast == general)
    }

    @Test func everyShortTextOfDigitsAndSeparatorsIsReadAlikeByBothPaths() {
        // Every text of up to six characters from these, plus a seeded sample of longer ones.
        let alphabet: [Character] = ["0", "1", "2", "9", "-", "/", ".", "a"]
        var texts: [String] = [""]
        var frontier: [String] = [""]
        for _ in 1...5 {
            frontier = frontier.flatMap { prefix in alphabet.map { prefix + String($0) } }
            texts += frontier
        }
        var state: UInt64 = 2023
        let wide: [Character] = ["0", "1", "2", "3", "9", "-", "/", ".", "0", "1", "2"]
        for _ in 0..<20000 {
            var text = ""
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let length = Int(state >> 60) % 12
            for _ in 0..<length {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                text.append(wide[Int(state >> 33) % wide.count])
            }
            texts.append(text)
        }
        for year in ["1949", "2023", "2024", "2100"] {
            for month in 0...13 {
                for day in 0...32 {
                    texts.append("\(year)-\(month)-\(day)")
                    texts.append(String(format: "%@%02d%02d", year, month, day))
                }
            }
        }
        var differing: [String] = []
        for text in texts where Self.outcome({ try PartialDate(parsing: text) }) != Self.outcome({ try PartialDate.parseGeneral(text) }) {
            differing.append(text)
        }
        #expect(differing == [])
    }

    @Test func aDateIsWrittenWithFourDigitYearsAndTwoDigitMonthsAndDays() throws {
        #expect(PartialDate(year: 2023).description == "2023")
        #expect(PartialDate(year: 2023, month: 1, day: nil).description == "2023-01")
        #expect(PartialDate(year: 2023, month: 12, day: 5).description == "2023-12-05")
        #expect(PartialDate(year: 1949, month: 10, day: 1).description == "1949-10-01")
        #expect(PartialDate(year: 999, month: 1, day: 1).description == "0999-01-01")
        #expect(PartialDate(year: 12345, month: 1, day: 1).description == "12345-01-01")
        #expect(PartialDate(year: 2023, month: nil, day: 7).description == "2023-07")
    }

    @Test(arguments: ["2026-11-29", "2026-11-30", "2026-11", "2026-12", "2026", "2027", "2025-12-31", "2026-10-31"])
    func aRecordedDateIsAfterTodayExactlyWhenItsFirstDaySortsAfterTodaysFirstDay(text: String) throws {
        for today in [PartialDate(year: 2026, month: 11, day: 29), PartialDate(year: 2026, month: 11, day: nil), PartialDate(year: 2026)] {
            let date = try PartialDate(parsing: text)
            let refused = (try? PartialDate(recorded: text, today: today)) == nil
            #expect(refused == (date.firstDay > today.firstDay))
        }
    }

    // MARK: - Keys

    /// The duplicate-key scan as it was written before (sets of keys per object), kept to
    /// compare the present one with.
    private static func referenceFirstDuplicate(in bytes: [UInt8]) -> JSONKeys.Duplicate? {
        enum Frame {
            case object(keys: Set<[UInt8]>, path: String, lastKey: String?)
            case array(path: String, index: Int)
        }
        var stack: [Frame] = []
        var index = bytes.startIndex
        var expectKey = false
        func childPath() -> String {
            guard let last = stack.last else { return "" }
            switch last {
            case let .object(_, path, key): return path.isEmpty ? (key ?? "") : "\(path).\(key ?? "")"
            case let .array(path, index): return "\(path)[\(index)]"
            }
        }
        while index != bytes.endIndex {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                var string: [UInt8] = []
                var escaped = false
                index = bytes.index(after: index)
                while index != bytes.endIndex {
                    let c = bytes[index]
                    if escaped { escaped = false; string.append(c) } else if c == UInt8(ascii: "\\") { escaped = true; string.append(c) } else if c == UInt8(ascii: "\"") { break } else { string.append(c) }
                    index = bytes.index(after: index)
                }
                if expectKey, case let .object(keys, objectPath, _)? = stack.last {
                    let name = String(decoding: string, as: UTF8.self)
                    if keys.contains(string) { return JSONKeys.Duplicate(path: objectPath, key: name) }
                    stack[stack.count - 1] = .object(keys: keys.union([string]), path: objectPath, lastKey: name)
                    expectKey = false
                }
            case UInt8(ascii: "{"):
                stack.append(.object(keys: [], path: childPath(), lastKey: nil))
                expectKey = true
            case UInt8(ascii: "["):
                stack.append(.array(path: childPath(), index: 0))
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if !stack.isEmpty { stack.removeLast() }
                expectKey = false
            case UInt8(ascii: ","):
                if case let .array(path, i)? = stack.last { stack[stack.count - 1] = .array(path: path, index: i + 1) }
                if case .object? = stack.last { expectKey = true }
            default:
                break
            }
            if index != bytes.endIndex { index = bytes.index(after: index) }
        }
        return nil
    }

    static let awkwardDocuments = [
        #"{"city":"襄阳","code":"1.13","year":2023}"#,
        #"{"city":"襄阳","code":"1.13","city":"武汉"}"#,
        #"{"city":"襄阳","ci\u0074y":"武汉","code":"1.13","year":2023}"#,
        #"{"ci\u0074y":"襄阳","code":"1.13","year":2023}"#,
        #"{"city":"襄阳","code":"1.13","year":2023,"arrests":[{"count":1},{"count":2,"count":3}]}"#,
        #"{"city":"襄阳","code":"1.13","year":2023,"arrests":[{"count":1,"cuont":2}]}"#,
        #"{"city":"襄阳","code":"1.13","year":2023,"arrests":[{"count":1,"evidence":{"x":1,"y":[{"z":1,"z":2}]}}]}"#,
        #"{"city":"襄阳","code":"1.13","year":2023,"gangs":[{"name":"a","members":3,"lower_bound":true,"extra":1}]}"#,
        #"{"city":"襄阳","code":"1.13","year":2023,"links":[{"type":"洗钱","ty\"pe":1}]}"#,
        #"{"city":"襄阳","code":"1.13","year":2023,"links":[[{"count":1}]]}"#,
        #"{"city":"襄阳","code":"1.13","year":2023,"arrests":{"count":1,"count":2}}"#,
        #"{"city":"襄阳","code":"1.13","year":2023,"note":{"arrests":[{"bogus":1}]}}"#,
        #"{"city":"襄阳","code":"1.13","year":2023,"arr\u0065sts":[{"bogus":1}]}"#,
        #"{"city":"襄阳","code":"1.13","year":2023,"evidence":{"arrests":[{"bogus":1}]},"arrests":[{"count":1}]}"#,
        #"{"city":"a\"b","code":"x\\","year":2023,"name":"{\"city\":1,\"city\":2}"}"#,
        #"{"city":"襄阳","code":9.10,"year":2023}"#,
        #"{"city":"襄阳","code":910,"year":2023,"bogus":true,"other":null}"#,
        #"{"city":"襄阳","code":null,"year":2023}"#,
        #"{"city":"襄阳","code":true,"year":"2023"}"#,
        #"{"city":"襄阳","year":2023.5,"opened":"2023-13"}"#,
        #"{"city":1,"code":"1.13","year":2023,"status":null,"name":5,"note":null,"closed":"2023-02-30"}"#,
        #"{"city":"襄阳","code":"1.13","year":2023,"arrests":[{"count":"5","date":"23-01-01"},{"count":1e30},{"count":1.5},{},{"count":null}]}"#,
        #"{"city":"襄阳","code":"1.13","year":2023,"arrests":null,"gangs":[null,1],"links":"x"}"#,
        #"{"city":"襄阳","code":"1.13","year":2023,"gangs":[{"count":2,"date":"２０２３-０１-１３"},{"date":" 2023-01 "}]}"#,
        #"{"city":"襄阳","code":"1.13","year":2023,"totals_only":true,"arrests":[{"count":3,"phase":"extended","lower_bound":"yes"}]}"#,
        #"[{"city":"襄阳","code":"1.13","year":2023}]"#,
        #"{"a":1,"a":2"#,
        #"{"a":[1,2,{"b":1,"b":2}]}"#,
        #"{"a":{"b":{"c":1,"c":2}}}"#,
        #"[[1],[2,{"k":1,"k":1}]]"#,
        #"{"a":1}}{"a":1,"a":2}"#,
        #"{"x\"y":1,"x\"y":2}"#,
        #"{"a":"\\","a":1}"#,
        "{\"city\":\"襄阳\",\"code\":\"1.13\",\"year\":2023,\"note\":\"unterminated",
    ] + manyKeys

    /// Objects with more keys than are compared one by one.
    static let manyKeys: [String] = {
        let plain: [String] = (0..<40).map { (i: Int) -> String in "\"k\(i)\":\(i)" }
        let nested: [String] = (0..<40).map { (i: Int) -> String in "\"k\(i)\":{\"n\":[\(i)]}" }
        let body = plain.joined(separator: ",")
        return [
            "{" + body + ",\"k7\":1}",
            "{" + nested.joined(separator: ",") + ",\"k39\":1}",
            "{" + body + ",\"inner\":{\"k0\":1,\"k0\":2}}",
            "{" + body + "}",
        ]
    }()

    @Test(arguments: awkwardDocuments)
    func theKeyScanFindsTheSameDuplicateAsTheSetBasedScan(text: String) {
        let bytes = Array(text.utf8)
        #expect(JSONKeys.firstDuplicate(in: bytes) == Self.referenceFirstDuplicate(in: bytes))
        #expect(JSONKeys.firstDuplicate(in: bytes[...]) == Self.referenceFirstDuplicate(in: bytes))
    }

    @Test func theKeyScanNamesTheObjectOfADuplicateByItsPath() {
        func duplicate(_ text: String) -> JSONKeys.Duplicate? { JSONKeys.firstDuplicate(in: Array(text.utf8)) }
        #expect(duplicate(#"{"city":"a","city":"b"}"#) == JSONKeys.Duplicate(path: "", key: "city"))
        #expect(duplicate(#"{"arrests":[{"count":1},{"count":2,"count":3}]}"#) == JSONKeys.Duplicate(path: "arrests[1]", key: "count"))
        #expect(duplicate(#"{"a":{"b":[0,{"c":1,"c":2}]}}"#) == JSONKeys.Duplicate(path: "a.b[1]", key: "c"))
        #expect(duplicate(#"{"x\"y":1,"x\"y":2}"#) == JSONKeys.Duplicate(path: "", key: #"x\"y"#))
        // Escaped spellings of one key are different bytes: the decoder, not this scan, sees them.
        #expect(duplicate(#"{"city":"a","ci\u0074y":"b"}"#) == nil)
    }

    @Test func theKeyScanVouchesOnlyForPlainAllowedKeysInTheDocumentAndItsEntries() {
        func known(_ text: String) -> Bool { JSONKeys.scan(Array(text.utf8)).knownKeysOnly }
        #expect(known(#"{"city":"a","code":"1","arrests":[{"count":1,"phase":"initial"}],"gangs":[{"members":2}],"links":[{"type":"x"}]}"#))
        #expect(known(#"{"city":"a","evidence":{"anything":1},"arrests":[{"count":1,"evidence":{"bogus":[{"x":1}]}}]}"#))
        #expect(known(#"{"note":"{\"bogus\":1}"}"#))
        #expect(!known(#"{"city":"a","bogus":1}"#))
        #expect(!known(#"{"ci\u0074y":"a"}"#))
        #expect(!known(#"{"arrests":[{"count":1},{"members":2}]}"#))
        #expect(!known(#"{"gangs":[{"phase":"initial"}]}"#))
        #expect(!known(#"{"links":[{"members":1}]}"#))
        #expect(!known(#"{"arrests":[{"cou\u006et":1}]}"#))
    }

    /// Problems as a reader reports them, or the document it read.
    private static func readWithReader(_ text: String) throws -> String {
        let reader = try DocumentReader(data: Data(text.utf8), name: "t.jsonl", format: .jsonl, encoding: .utf8)
        guard let record = try reader.next() else { return "nothing" }
        switch record.document {
        case let .success(document): return "document \(document)"
        case let .failure(problems): return problems.problems.map { "\($0.field ?? "-"): \($0.message)" }.joined(separator: "\n")
        }
    }

    /// The same document decoded with no scan behind it: `StrictObject` lists every object's keys.
    private static func readWithoutScan(_ text: String) -> String {
        let bytes = Array(text.utf8)
        if let duplicate = JSONKeys.firstDuplicate(in: bytes) {
            return "\(duplicate.path.isEmpty ? "-" : duplicate.path): the key \"\(duplicate.key)\" appears twice; which value is meant is not ours to guess"
        }
        do {
            return "document \(try JSONDecoder().decode(CaseDocument.self, from: Data(bytes)))"
        } catch let error as DocumentFieldError {
            return "\(error.path.isEmpty ? "-" : error.path): \(error.message)"
        } catch let error as DocumentProblems {
            return error.problems.map { "\($0.path.isEmpty ? "-" : $0.path): \($0.message)" }.joined(separator: "\n")
        } catch {
            return "malformed"
        }
    }

    @Test(arguments: awkwardDocuments)
    func aDocumentReadsAlikeWithAndWithoutTheKeyScan(text: String) throws {
        let withScan = try Self.readWithReader(text)
        let withoutScan = Self.readWithoutScan(text)
        if withoutScan == "malformed" {
            #expect(withScan.hasPrefix("-: malformed JSON"))
        } else {
            // Unknown keys come in the decoder's dictionary order, which differs between two
            // decodes of one text; every other problem keeps its place.
            func sorted(_ text: String) -> [Substring] { text.split(separator: "\n").sorted() }
            #expect(sorted(withScan) == sorted(withoutScan))
            #expect(withScan.split(separator: "\n").filter { !$0.contains("unknown field") } == withoutScan.split(separator: "\n").filter { !$0.contains("unknown field") })
        }
    }

    @Test func unknownFieldsInTheDocumentAndItsEntriesAreNamedExactly() throws {
        #expect(try Self.readWithReader(#"{"city":"襄阳","code":"1.13","year":2023,"bogus":1,"arrests":[{"count":1,"cuont":2}]}"#) == """
            bogus: unknown field (expected one of: arrests, category, city, closed, code, evidence, gangs, links, name, note, opened, source, status, totals_only, year)
            arrests[0].cuont: unknown field (expected one of: count, date, evidence, lower_bound, note, phase)
            """)
        #expect(try Self.readWithReader(#"{"city":"襄阳","code":"1.13","year":2023,"links":[{"count":1},{"members":2}]}"#) ==
            "links[1].members: unknown field (expected one of: count, date, evidence, lower_bound, name, note, type)")
        #expect(try Self.readWithReader(#"{"city":"襄阳","code":"1.13","year":2023,"gangs":[{"count":1},5]}"#) ==
            "gangs[1]: expected a JSON object")
    }

    @Test func aCodeIsReadAsTextAndRefusedAsANumberOrWhenMissing() throws {
        let numberMessage = "code: expected text in quotes, such as \"9.10\" (a JSON number loses a code's trailing zeros)"
        #expect(try Self.readWithReader(#"{"city":"襄阳","code":9.10,"year":2023}"#) == numberMessage)
        #expect(try Self.readWithReader(#"{"city":"襄阳","code":12,"year":2023}"#) == numberMessage)
        #expect(try Self.readWithReader(#"{"city":"襄阳","code":null,"year":2023}"#) == "code: is missing")
        #expect(try Self.readWithReader(#"{"city":"襄阳","year":2023}"#) == "code: is missing")
        #expect(try Self.readWithReader(#"{"city":"襄阳","code":true,"year":2023}"#) == "code: expected text in quotes")
        #expect(try Self.readWithReader(#"{"city":"襄阳","code":"9.10","year":2023}"#).hasPrefix("document "))
    }

    @Test func fieldsOfTheWrongTypeAreNamedWithTheirProblem() throws {
        #expect(try Self.readWithReader(#"{"city":5,"code":"1","year":"2023","name":[],"note":null,"status":null}"#) == """
            city: expected text in quotes
            year: expected a whole number, found the text "2023"
            name: expected text in quotes
            status: cannot be null: give "open" or "closed", or leave the key out to keep the case's status
            """)
        #expect(try Self.readWithReader(#"{"city":"a","code":"1","year":2023,"arrests":[{"count":1.5}]}"#) ==
            "arrests[0].count: expected a whole number, found 1.5")
        #expect(try Self.readWithReader(#"{"city":"a","code":"1","year":2023,"arrests":[{"count":1e30}]}"#) ==
            "arrests[0].count: the number is too large")
        #expect(try Self.readWithReader(#"{"city":"a","code":"1","year":2023,"arrests":[{"count":null}]}"#) ==
            "arrests[0].count: is missing")
        #expect(try Self.readWithReader(#"{"city":"a","code":"1","year":2023,"gangs":[{"members":true}]}"#) ==
            "gangs[0].members: expected a whole number")
    }
}

@Suite struct ImportPhaseTests {
    @Test(arguments: ["initial", "extended", " initial", "Initial", "EXTENDED", "首次", "扩线深挖", "", "other", "initial\u{3000}"])
    func aPhaseIsReadAsArrestPhaseReadsIt(text: String) {
        let quick = try? CaseStore.phase(text)
        let general = try? ArrestPhase(parsing: text)
        #expect(quick == general)
    }
}
