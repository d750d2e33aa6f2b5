import Foundation
import GRDB
import Testing
@testable import CaseTrackCore

@Suite struct ImportWriteTests {
    /// An import writes a case's rows of one kind several to a statement: every row arrives, in
    /// the document's order (ids follow it), also past a statement's share and with the kinds
    /// interleaved in the totals.
    @Test func everyResultRowOfALongDocumentIsWrittenInItsOrder() throws {
        let store = try TestStore.empty()
        let counts = Array(1...150)
        let arrests = counts.map { #"{"count":\#($0),"phase":"\#($0 % 3 == 0 ? "extended" : "initial")","date":"2023-\#(String(format: "%02d", $0 % 12 + 1))"}"# }
        let gangs = (1...70).map { #"{"count":1,"name":"团伙\#($0)"}"# }
        let links = (1...65).map { #"{"count":2,"type":"洗钱","note":"环节\#($0)"}"# }
        let document = #"{"city":"襄阳","code":"1.13","year":2023,"arrests":[\#(arrests.joined(separator: ","))],"gangs":[\#(gangs.joined(separator: ","))],"links":[\#(links.joined(separator: ","))]}"#
        let summary = try store.importDocuments(data: Data((document + "\n").utf8), name: "long.jsonl", options: ImportOptions(format: .jsonl))
        #expect(summary.created == 1 && summary.resultsWritten == 150 + 70 + 65)
        let (stored, gangNames, linkNotes, totals) = try store.dbQueue.read { db in
            (try Int.fetchAll(db, sql: "SELECT count FROM arrests ORDER BY id"),
             try String.fetchAll(db, sql: "SELECT name FROM gangs ORDER BY id"),
             try String.fetchAll(db, sql: "SELECT note FROM links ORDER BY id"),
             try Row.fetchOne(db, sql: "SELECT arrests_initial, arrests_extended, gangs, links FROM case_totals"))
        }
        #expect(stored == counts)
        #expect(gangNames == (1...70).map { "团伙\($0)" })
        #expect(linkNotes == (1...65).map { "环节\($0)" })
        let extended = counts.filter { $0 % 3 == 0 }.reduce(0, +)
        #expect(totals.map { [$0[0] as Int, $0[1] as Int, $0[2] as Int, $0[3] as Int] } == [counts.reduce(0, +) - extended, extended, 70, 130])
        #expect(try store.check().isEmpty)
    }
}
