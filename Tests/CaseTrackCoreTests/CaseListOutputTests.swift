import CSV
import Foundation
import Testing
@testable import CaseTrackCore

/// CSV and TSV output stays byte for byte what yaslab/CSV.swift's writer wrote for the same
/// table, including fields it reads as characters (a quote joined to a combining mark).
@Suite struct DelimitedOutputTests {
    static let fields = [
        "", "plain", "襄阳", "a,b", "say \"hi\"", "\"", "\"\"", "line\nbreak", "cr\rlf", "crlf\r\nend", "tab\there",
        "他说\"跑分\"，然后", "逗号,在中间", "“弯引号”,和\"直引号\"", "a\"\u{301}b", "\"\u{301}", ",\u{301}x", "x\u{600}\"y",
        "\u{600},", "e\u{301},\"", "👍🏽\"", "\"\u{200D}👍", "１，２\"", "\u{FF9E}\",", "end\n",
    ]

    @Test(arguments: [",", "\t"] as [Character], [false, true])
    func matchesCSVWriter(delimiter: Character, withNumbers: Bool) throws {
        let rows: [[Cell]] = Self.fields.enumerated().map { index, field in
            [.number(index), .text(field), withNumbers ? .number(-index) : .null, .text(Self.fields[(index + 3) % Self.fields.count])]
        }
        let table = Table(columns: ["id", "text", "figure", "more"], rows: rows)
        #expect(Renderer.delimited(table, delimiter: delimiter) == Self.written(table, delimiter: delimiter))
        for field in Self.fields {
            let one = Table(columns: ["text"], rows: [[.text(field)]])
            #expect(Renderer.delimited(one, delimiter: delimiter) == Self.written(one, delimiter: delimiter), "\(field.debugDescription)")
        }
    }

    @Test func aQuoteJoinedToAMarkIsNotQuoted() {
        // The writer compares characters: "\u{301} is not a quote, so the field stays as it is.
        let table = Table(columns: ["t"], rows: [[.text("a\"\u{301}b")], [.text("x\u{600}\",y")]])
        let unquoted = "t\na\"\u{301}b\n"
        let text = Renderer.delimited(table, delimiter: ",")
        #expect(text == Self.written(table, delimiter: ","))
        #expect(text.hasPrefix(unquoted))
    }

    @Test func tablesWithoutSpecialFieldsEndEveryLine() {
        let table = Table(columns: ["a", "b"], rows: [[.text("x"), .number(1)], [.null, .text("")]])
        #expect(Renderer.delimited(table, delimiter: ",") == "a,b\nx,1\n,\n")
        #expect(Renderer.delimited(Table(columns: ["a"], rows: [[.text("")]]), delimiter: ",") == "a\n\n")
        #expect(Renderer.delimited(Table(columns: ["a"], rows: [[.text("q\"")], [.text("")]]), delimiter: ",") == "a\n\"q\"\"\"\n")
    }

    /// What casetrack wrote before: plain lines when no field needs care, else CSV.swift's writer.
    static func written(_ table: Table, delimiter: Character) -> String {
        func plain(_ field: String) -> Bool {
            !field.utf8.contains { $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D || $0 == UInt8(ascii: ",") || $0 == 0x09 }
        }
        let rows = [table.columns] + table.rows.map { $0.map(\.text) }
        guard !rows.allSatisfy({ $0.allSatisfy(plain) }) else {
            return rows.map { $0.joined(separator: String(delimiter)) + "\n" }.joined()
        }
        let stream = OutputStream(toMemory: ())
        let writer = try! CSVWriter(stream: stream, delimiter: String(delimiter), newline: .lf)
        for row in rows { try! writer.write(row: row) }
        writer.stream.close()
        let data = stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data ?? Data()
        let text = String(decoding: data, as: UTF8.self)
        return text.isEmpty || text.hasSuffix("\n") ? text : text + "\n"
    }
}

/// JSON and JSON Lines output stays what `Renderer.jsonObject` writes for each row.
@Suite struct JSONOutputTests {
    @Test func rowsAreWrittenAsJSONObjectWritesThem() {
        let fields = DelimitedOutputTests.fields + ["back\\slash", "bell\u{7}", "/slash/", "\u{0}"]
        let rows: [[Cell]] = fields.enumerated().map { index, field in [.number(index - 3), .text(field), .null] }
        let table = Table(columns: ["id", "te\"xt", "none"], rows: rows)
        let objects = table.rows.map { Renderer.jsonObject(table.columns, $0) }
        #expect(Renderer.render(table, as: .json) == "[\n" + objects.map { "  " + $0 }.joined(separator: ",\n") + "\n]\n")
        #expect(Renderer.render(table, as: .jsonl) == objects.map { $0 + "\n" }.joined())
        #expect(Renderer.render(Table(columns: ["a"], rows: []), as: .json) == "[]\n")
        #expect(Renderer.render(Table(columns: ["a"], rows: []), as: .jsonl) == "")
        // Cells beyond the columns (or columns beyond the cells) are left out, as zip does.
        #expect(Renderer.render(Table(columns: ["a", "b"], rows: [[.number(1)], [.null, .text("x"), .text("y")]]), as: .jsonl)
            == "{\"a\":1}\n{\"a\":null,\"b\":\"x\"}\n")
    }
}

/// `case list` reads every field and total of a case, whatever the filter.
@Suite struct CaseListQueryTests {
    @Test func listingsCarryEveryFieldAndTotal() throws {
        let store = try TestStore.seeded()
        try store.addCase(CaseFields(city: "襄阳", code: "2.1", opened: "2023-03", name: "无结果", note: "逗号,与\"引号\""))
        let listed = try store.cases(matching: CaseFilter(city: "襄阳", year: "2023"))
        #expect(listed.map(\.record.code) == ["1.13", "2.1"])
        let first = listed[0]
        #expect(first.city == "襄阳" && first.prefecture == "襄阳" && first.record.category == "电信网络诈骗")
        #expect(first.arrests == 249 && first.gangs == 12 && first.links == 0 && first.record.status == .open)
        #expect(first.record.opened == "2023-01-13" && first.record.closed == nil && first.record.createdAt != nil)
        let second = listed[1]
        #expect(second.arrests == 0 && second.gangs == 0 && second.links == 0)
        #expect(second.record.name == "无结果" && second.record.note == "逗号,与\"引号\"" && second.record.year == 2023)
        let hanchuan = try #require(try store.cases(matching: CaseFilter(year: "2023")).first { $0.city == "汉川" })
        #expect(hanchuan.prefecture == "孝感" && hanchuan.arrestsInitial == 337 && hanchuan.arrestsExtended == 169)
        #expect(try store.findCase(.key(city: "鄂州", code: "9.9", year: nil)).links == 7)
    }
}
