import CSV
import Foundation
import Testing
@testable import CaseTrackCore

/// CSV and TSV output: quoted exactly where RFC 4180 needs it, and read back field for field by
/// CSV.swift's reader (what `import` reads with).
@Suite struct DelimitedOutputTests {
    static let fields = [
        "", "plain", "襄阳", "a,b", "say \"hi\"", "\"", "\"\"", "line\nbreak", "cr\rlf", "crlf\r\nend", "tab\there",
        "他说\"跑分\"，然后", "逗号,在中间", "“弯引号”,和\"直引号\"", "a\"\u{301}b", "\"\u{301}", ",\u{301}x", "x\u{600}\"y",
        "\u{600},", "e\u{301},\"", "👍🏽\"", "\"\u{200D}👍", "１，２\"", "\u{FF9E}\",", "end\n",
    ]

    @Test(arguments: [",", "\t"] as [Character])
    func everyFieldIsReadBackAsItWasWritten(delimiter: Character) throws {
        let rows = Self.fields.enumerated().map { index, field in [String(index), field, Self.fields[(index + 3) % Self.fields.count]] }
        let table = Table(columns: ["id", "text", "more"], rows: rows.map { $0.map(Cell.text) })
        let text = Renderer.delimited(table, delimiter: delimiter)
        let reader = try CSVReader(string: text, hasHeaderRow: true, delimiter: delimiter == "," ? "," : "\t")
        var read: [[String]] = []
        while let row = reader.next() { read.append(row) }
        #expect(reader.headerRow == ["id", "text", "more"])
        #expect(read == rows)
    }

    @Test func aFieldIsQuotedOnlyForAQuoteTheDelimiterOrALineBreak() {
        func csv(_ field: String) -> String { Renderer.delimited(Table(columns: ["t"], rows: [[.text(field)]]), delimiter: ",") }
        func tsv(_ field: String) -> String { Renderer.delimited(Table(columns: ["t"], rows: [[.text(field)]]), delimiter: "\t") }
        #expect(csv("逗号,在中间") == "t\n\"逗号,在中间\"\n")
        #expect(csv("say \"hi\"") == "t\n\"say \"\"hi\"\"\"\n")
        #expect(csv("line\nbreak") == "t\n\"line\nbreak\"\n")
        #expect(csv("cr\rlf") == "t\n\"cr\rlf\"\n")
        #expect(csv("tab\there") == "t\ntab\there\n")
        #expect(tsv("tab\there") == "t\n\"tab\there\"\n")
        #expect(tsv("a,b") == "t\na,b\n")
        // A quote followed by a combining mark is still a quote byte, so the field is quoted.
        #expect(csv("a\"\u{301}b") == "t\n\"a\"\"\u{301}b\"\n")
        #expect(csv("襄阳“1.13”") == "t\n襄阳“1.13”\n")
    }

    @Test func everyRowEndsInALineBreak() {
        let table = Table(columns: ["a", "b"], rows: [[.text("x"), .number(1)], [.null, .text("")]])
        #expect(Renderer.delimited(table, delimiter: ",") == "a,b\nx,1\n,\n")
        #expect(Renderer.delimited(Table(columns: ["a"], rows: [[.text("")]]), delimiter: ",") == "a\n\n")
        #expect(Renderer.delimited(Table(columns: ["a"], rows: [[.text("q\"")], [.text("")]]), delimiter: ",") == "a\n\"q\"\"\"\n\n")
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
