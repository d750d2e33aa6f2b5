import Foundation
import GRDB
import Testing
@testable import CaseTrackCore

/// A bulk write turns its connection's triggers off where they would do nothing it does not do
/// itself (ConnectionTriggers.swift). These tests run the same writes with the switch and
/// without it, and find the registers identical: rows, history, change set lists, totals,
/// rollup and search.
@Suite struct TriggerSwitchTests {
    /// Runs `body` on a new seeded register with the trigger switch allowed or refused.
    private func register(switching: Bool, _ body: (CaseStore) throws -> Void) throws -> String {
        let store = try TestStore.seeded()
        try Self.keepTriggersOn(!switching, store)
        defer { try? Self.keepTriggersOn(false, store) }
        try body(store)
        #expect(try store.check().isEmpty)
        return try Self.content(of: store)
    }

    /// Both registers' content, line by line; a difference names its first lines.
    static func expectSame(_ switched: String, _ triggered: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let (a, b) = (switched.split(separator: "\n"), triggered.split(separator: "\n"))
        let first = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? (a.count == b.count ? nil : min(a.count, b.count))
        #expect(first == nil, "line \(first ?? 0): with the switch \(a.dropFirst(first ?? 0).prefix(3)), with the triggers \(b.dropFirst(first ?? 0).prefix(3))",
                sourceLocation: sourceLocation)
    }

    private static func keepTriggersOn(_ kept: Bool, _ store: CaseStore) throws {
        try store.dbQueue.inDatabase { ConnectionTriggers.keepOn($0, kept) }
    }

    /// Everything a write reaches, without the timestamps and digests of when it ran. History
    /// by change set and row: the bulk path files a range of cases' versions case by case, the
    /// triggers in the order SQLite's plan removes the rows.
    static func content(of store: CaseStore) throws -> String {
        try store.dbQueue.read { db in
            var text = ""
            let tables = ["cities", "categories", "link_types", "cases", "arrests", "gangs", "links", "case_totals", "report_totals", "change_set_cases"]
            for table in tables {
                let columns = try db.columns(in: table).map(\.name).filter { !["created_at", "updated_at"].contains($0) }
                text += "## \(table)\n"
                for row in try Row.fetchAll(db, sql: "SELECT \(columns.joined(separator: ", ")) FROM \(table) ORDER BY \(columns.prefix(4).joined(separator: ", "))") {
                    text += "\(row)\n"
                }
            }
            text += "## change_sets\n"
            for row in try Row.fetchAll(db, sql: "SELECT id, command, undoes, open FROM change_sets ORDER BY id") { text += "\(row)\n" }
            text += "## history\n"
            for row in try Row.fetchAll(db, sql: """
                SELECT change_set, table_name, row_id, case_id, action, valid_from, json_remove(image, '$.created_at', '$.updated_at') AS image
                FROM history ORDER BY change_set, table_name, row_id, action, id
                """) { text += "\(row)\n" }
            text += "## search\n"
            for word in ["团伙", "洗钱", "扩线", "新增"] {
                text += word + ": " + (try Int64.fetchAll(db, sql: "SELECT rowid FROM case_search WHERE case_search MATCH ? ORDER BY rowid", arguments: [word]))
                    .map(String.init).joined(separator: ",") + "\n"
            }
            return text
        }
    }

    /// New cases in runs long enough for the switch, one with a category the import adds, the
    /// seed cases changed in between (fields, rows replaced, a figure lowered and one raised).
    static let documents: String = {
        func new(_ n: Int, category: String = "电信网络诈骗") -> String {
            #"{"city":"襄阳","code":"\#(n).1","year":2023,"opened":"2023-0\#(n % 9 + 1)","category":"\#(category)","note":"扩线 \#(n)","#
                + #""arrests":[{"count":\#(n),"phase":"initial","date":"2023-03"},{"count":2,"phase":"extended","note":"扩线深挖"}],"#
                + #""gangs":[{"count":1,"name":"团伙\#(n)","members":5}],"links":[{"count":\#(n % 3 + 1),"type":"洗钱","date":"2023-05-0\#(n % 9 + 1)"}]}"#
        }
        var lines = (1...40).map { new($0) }
        lines.append(new(41, category: "新增类别"))
        lines += (42...50).map { new($0) }
        lines.append(#"{"city":"襄阳","code":"1.13","year":2023,"name":"襄阳“1.13”专案","arrests":[{"count":200},{"count":49,"phase":"extended"}]}"#)
        lines.append(#"{"city":"鄂州","code":"9.9","year":2023,"totals_only":true,"links":[{"count":5}],"gangs":[{"count":2}]}"#)
        lines += (51...90).map { new($0) }
        lines.append(#"{"city":"汉川","code":"6406","year":2023,"note":"新增备注","gangs":[{"count":3,"name":"团伙汉川"}]}"#)
        return lines.joined(separator: "\n") + "\n"
    }()

    @Test func anImportUndoAndRedoWithTheTriggersSwitchedOffWriteWhatTheTriggersWrite() throws {
        let steps: (CaseStore) throws -> Void = { store in
            let summary = try store.importDocuments(
                data: Data(Self.documents.utf8), name: "mixed.jsonl", options: ImportOptions(format: .jsonl, onConflict: .file, addVocabulary: true))
            #expect(summary.created == 90 && summary.updated == 3)
            let imported = try #require(try store.dbQueue.read { try Int64.fetchOne($0, sql: "SELECT max(id) FROM change_sets") })
            // A later change to a case the import created: the undo (forced) removes it with the case.
            try store.addArrest(to: .key(city: "襄阳", code: "7.1", year: 2023), ArrestFields(count: "4", note: "后来"))
            #expect(try store.undo(imported, force: true).recordsReverted > 400)
            _ = try store.redo(force: true)
        }
        let switched = try register(switching: true, steps)
        let triggered = try register(switching: false, steps)
        Self.expectSame(switched, triggered)
        #expect(switched.contains("新增类别") && switched.contains("团伙汉川"))
    }

    @Test func anImportThatFailsLeavesTheConnectionsTriggersOnAndTheRegisterAsItWas() throws {
        let store = try TestStore.seeded()
        let before = try Self.content(of: store)
        let bad = Self.documents + #"{"city":"无此市","code":"1","year":2023}"# + "\n"
        #expect(throws: ImportFailure.self) {
            try store.importDocuments(data: Data(bad.utf8), name: "bad.jsonl", options: ImportOptions(format: .jsonl, addVocabulary: true))
        }
        #expect(try store.dbQueue.read { ConnectionTriggers.areOn($0) })
        #expect(try Self.content(of: store) == before)
        // A write from the same connection files its history as ever.
        try store.dbQueue.write { db in
            try db.execute(sql: "UPDATE arrests SET count = 250 WHERE count = 249")
        }
        #expect(try store.dbQueue.read { db in
            try Int.fetchOne(db, sql: "SELECT json_extract(image, '$.count') FROM history WHERE table_name = 'arrests' AND action = 'update'")
        } == 249)
    }

    /// Putting back what a change set removed is one statement with the switch; when a row
    /// cannot go back (another case took its key since), nothing is written and the rows are
    /// tried one by one with the triggers, which name the one that fails and the case in its way.
    @Test func aRemovedCaseWhoseKeyWasTakenSinceIsNamedAndTheUndoWritesNothing() throws {
        for switching in [true, false] {
            let store = try TestStore.seeded()
            try Self.keepTriggersOn(!switching, store)
            defer { try? Self.keepTriggersOn(false, store) }
            try store.removeCase(.key(city: "襄阳", code: "1.13", year: 2023))
            let removal = try #require(try store.dbQueue.read { try Int64.fetchOne($0, sql: "SELECT max(id) FROM change_sets") })
            try store.addCase(CaseFields(city: "襄阳", code: "1.13", year: "2023"))
            try store.addArrest(to: .key(city: "襄阳", code: "1.13", year: 2023), ArrestFields(count: "5"))
            let before = try Self.content(of: store)
            #expect {
                try store.undo(removal)
            } throws: { error in
                "\(error)" == #"cannot revert change set \#(removal): case 襄阳"1.13"@2023 cannot be put back: case #4 now has its key (city, code and year, written by change set \#(removal + 1)); nothing was changed. Remove that case first (casetrack case rm 4) to undo this"#
            }
            #expect(try Self.content(of: store) == before)
            #expect(try store.dbQueue.read { ConnectionTriggers.areOn($0) })
        }
    }
}
