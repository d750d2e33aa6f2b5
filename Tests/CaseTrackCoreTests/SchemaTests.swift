import Foundation
import GRDB
import Testing
@testable import CaseTrackCore

@Suite struct SchemaTests {
    @Test func embeddedSchemaMatchesTheTopLevelSchemaFile() throws {
        let file = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("schema.sql")
        let onDisk = try String(contentsOf: file, encoding: .utf8)
        #expect(Schema.sql == onDisk, "rebuild: the binary embeds an old copy of schema.sql")
    }

    @Test func databaseRefusesWhatTheRulesForbid() throws {
        let store = try TestStore.seeded()
        let forbidden = [
            "INSERT INTO arrests (case_id, count) VALUES (1, 0)",
            "INSERT INTO arrests (case_id, count) VALUES (1, 1000001)",
            "INSERT INTO arrests (case_id, count) VALUES (1, 'twelve')",
            "INSERT INTO arrests (case_id, count) VALUES (1, 2.5)",
            "INSERT INTO arrests (case_id, count, phase) VALUES (1, 5, 'later')",
            "INSERT INTO arrests (case_id, count) VALUES (999, 5)",
            "INSERT INTO arrests (case_id, count, date) VALUES (1, 5, '2023-02-30')",
            "INSERT INTO gangs (case_id, members) VALUES (1, 0)",
            "INSERT INTO links (case_id, type) VALUES (1, 'nonsense')",
            "INSERT INTO cases (city, code, year) VALUES ('420600', '1.13', 2023)",
            "INSERT INTO cases (city, code, year) VALUES ('999999', 'x', 2023)",
            "INSERT INTO cases (city, code, year, opened) VALUES ('420600', 'y', 2023, '2024-01-01')",
            "INSERT INTO cases (city, code, year, status, closed) VALUES ('420600', 'z', 2023, 'open', '2023-05')",
            "INSERT INTO cases (city, code, year, status) VALUES ('420600', 'z', 2023, 'pending')",
            "UPDATE cases SET id = 77 WHERE id = 1",
        ]
        for sql in forbidden {
            #expect(throws: DatabaseError.self, "\(sql)") { try store.dbQueue.write { try $0.execute(sql: sql) } }
        }
    }

    @Test func deletingACaseDeletesItsResultsAndTotals() throws {
        let store = try TestStore.seeded()
        try store.removeCase(.key(city: "汉川", code: "6406", year: nil))
        let (arrests, totals) = try store.dbQueue.read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM arrests WHERE case_id = 2"),
             try Int.fetchOne(db, sql: "SELECT count(*) FROM case_totals WHERE case_id = 2"))
        }
        #expect(arrests == 0 && totals == 0)
    }

    @Test func removedTextIsOverwrittenAndForeignKeysAreOn() throws {
        let store = try TestStore.empty()
        let (secureDelete, foreignKeys) = try store.dbQueue.read { db in
            (try Int.fetchOne(db, sql: "PRAGMA secure_delete"), try Int.fetchOne(db, sql: "PRAGMA foreign_keys"))
        }
        #expect(secureDelete == 1 && foreignKeys == 1)
    }

    @Test func totalsFollowACaseToItsNewCityAndCategory() throws {
        let store = try TestStore.seeded()
        try store.editCase(.key(city: "汉川", code: "6406", year: nil), CaseFields(city: "襄阳", category: "毒品"))
        let byCity = try store.report(by: [.city])
        #expect(byCity.rows.first { $0.keys == [.text("襄阳")] }?.figures.arrests == 249 + 506)
        #expect(byCity.rows.contains { $0.keys == [.text("孝感")] } == false)
        let byCategory = try store.report(by: [.category])
        #expect(byCategory.rows.first { $0.keys == [.text("毒品")] }?.figures.arrests == 506)
        #expect(try store.check().isEmpty)
    }

    @Test func totalsFollowEveryWriteEvenFromRawSQL() throws {
        let store = try TestStore.seeded()
        try store.dbQueue.write { db in
            try db.execute(sql: "UPDATE arrests SET count = 300 WHERE id = 1")
            try db.execute(sql: "UPDATE arrests SET phase = 'extended', date = '2024-03' WHERE id = 2")
            try db.execute(sql: "DELETE FROM links")
            try db.execute(sql: "UPDATE cases SET year = 2022, opened = '2022-12' WHERE id = 3")
        }
        // The figures by case and period, worked out here independently of the schema's view.
        let periods = """
            SELECT id AS case_id, year, CASE WHEN length(opened) >= 7 THEN CAST(substr(opened, 6, 2) AS INTEGER) ELSE 0 END AS month,
                   1 AS cases, 0 AS ai, 0 AS ae, 0 AS g, 0 AS l FROM cases
            UNION ALL
            SELECT a.case_id, CAST(substr(p, 1, 4) AS INTEGER), CASE WHEN length(p) >= 7 THEN CAST(substr(p, 6, 2) AS INTEGER) ELSE 0 END,
                   0, CASE phase WHEN 'initial' THEN count ELSE 0 END, CASE phase WHEN 'extended' THEN count ELSE 0 END, 0, 0
            FROM (SELECT arrests.*, coalesce(date, opened, CAST(year AS TEXT)) AS p FROM arrests JOIN cases ON cases.id = arrests.case_id) a
            UNION ALL
            SELECT g.case_id, CAST(substr(p, 1, 4) AS INTEGER), CASE WHEN length(p) >= 7 THEN CAST(substr(p, 6, 2) AS INTEGER) ELSE 0 END,
                   0, 0, 0, count, 0
            FROM (SELECT gangs.*, coalesce(date, opened, CAST(year AS TEXT)) AS p FROM gangs JOIN cases ON cases.id = gangs.case_id) g
            """
        let byCaseAndYear = "SELECT case_id, year, sum(cases), sum(ai), sum(ae), sum(g), sum(l) FROM (\(periods)) GROUP BY 1, 2 ORDER BY 1, 2"
        let byPeriod = """
            SELECT p.year, p.month, c.city, coalesce(c.category, ''), sum(p.cases), sum(p.ai), sum(p.ae), sum(p.g), sum(p.l)
            FROM (\(periods)) p JOIN cases c ON c.id = p.case_id GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
            """
        let (kept, expected, rollup, expectedRollup, moved, movedInRollup, movedCase) = try store.dbQueue.read { db in
            (try Row.fetchAll(db, sql: "SELECT case_id, year, cases, arrests_initial, arrests_extended, gangs, links FROM case_totals ORDER BY 1, 2").map { Array($0.databaseValues) },
             try Row.fetchAll(db, sql: byCaseAndYear).map { Array($0.databaseValues) },
             try Row.fetchAll(db, sql: "SELECT * FROM report_totals ORDER BY 1, 2, 3, 4").map { Array($0.databaseValues) },
             try Row.fetchAll(db, sql: byPeriod).map { Array($0.databaseValues) },
             try Int.fetchOne(db, sql: "SELECT arrests_extended FROM case_totals WHERE case_id = 2 AND year = 2024"),
             try Int.fetchOne(db, sql: "SELECT arrests_extended FROM report_totals WHERE year = 2024 AND month = 3"),
             try Int.fetchOne(db, sql: "SELECT year FROM case_totals WHERE case_id = 3"))
        }
        #expect(kept == expected)
        #expect(rollup == expectedRollup)
        #expect(moved == 337)
        #expect(movedInRollup == 337)
        #expect(movedCase == 2022)
    }
}
