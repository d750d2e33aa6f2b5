import Foundation
import Testing

/// History kept the way system-versioned tables keep it, and the ways around it closed.
@Suite struct HistoryTests {
    func sqlite(_ ct: Casetrack, _ sql: String) throws -> Casetrack.Result {
        try ct.shell("sqlite3 '\(ct.defaultDatabase)' \"\(sql)\"")
    }

    @Test func anInsertWritesNoHistoryRowAndTheRowCarriesItsChangeSet() throws {
        let ct = try Casetrack()
        try ct.run("import", ImportCommandTests.seed)
        #expect(try sqlite(ct, "SELECT count(*) FROM history").stdout == "0\n")
        #expect(try sqlite(ct, "SELECT DISTINCT change_set FROM arrests").stdout == "1\n")
        try ct.run("case", "edit", "鄂州/9.9", "--name", "改")
        #expect(try sqlite(ct, "SELECT action, change_set, valid_from, json_extract(image, '$.name') FROM history").stdout == "update|2|1|鄂州\"9.9\"诈骗案\n")
    }

    @Test func theHistoryTriggersAreGeneratedFromTheTablesAndAColumnAddedLaterIsCaught() throws {
        let ct = try Casetrack()
        try ct.enterSeedCases()
        #expect(try ct.run("check").status == 0)
        // A column added behind casetrack's back is in no trigger: check names the stale ones and
        // writes stop until they are re-created, so that undo never sets that column to NULL.
        try sqlite(ct, "ALTER TABLE arrests ADD COLUMN source TEXT")
        let check = try ct.run("check")
        #expect(check.status == 1)
        #expect(check.stderr.contains("the history trigger arrests_history_update was altered"))
        let refused = try ct.run("arrest", "add", "鄂州/9.9", "--count", "1")
        #expect(refused.status == 1)
        #expect(refused.stderr.hasPrefix("Error: the history trigger arrests_history_open_update was altered; the history trigger arrests_history_update was altered; the history trigger arrests_history_delete was altered: nothing was changed"))
        let repaired = try ct.run("check", "--repair")
        #expect(repaired.status == 0)
        #expect(try sqlite(ct, "SELECT sql LIKE '%''source'', NEW.source%' OR sql LIKE '%''source'', OLD.source%' FROM sqlite_master WHERE name = 'arrests_history_delete'").stdout == "1\n")
        #expect(try ct.run("arrest", "add", "鄂州/9.9", "--count", "1").status == 0)
    }

    @Test func eachChangeSetNamesTheCasesItWroteAndCheckFindsARowItDoesNotName() throws {
        let ct = try Casetrack()
        try ct.enterSeedCases()
        let pairs = "SELECT group_concat(change_set || ':' || case_id, ' ') FROM (SELECT * FROM change_set_cases ORDER BY 1, 2)"
        // One pair per change set and case it wrote rows of, however many rows.
        #expect(try sqlite(ct, pairs).stdout == "1:1 2:1 3:1 4:2 5:2 6:2 7:3 8:3 9:3\n")
        // Writes from the shell are named by the triggers, a result moved to another case too.
        try sqlite(ct, "PRAGMA foreign_keys=ON; INSERT INTO arrests(case_id, count) VALUES (2, 4); UPDATE gangs SET case_id = 3 WHERE id = 1")
        #expect(try sqlite(ct, "SELECT group_concat(case_id, ' ') FROM change_set_cases WHERE change_set = 10").stdout == "2 3\n")
        #expect(try ct.run("check").status == 0)
        // The list is kept like history: a pair taken away would hide its rows from undo.
        let kept = try sqlite(ct, "DELETE FROM change_set_cases WHERE change_set = 2")
        #expect(kept.stderr.contains("Error: stepping, the cases of a change set cannot be deleted (19)"))
        #expect(try sqlite(ct, pairs + " WHERE change_set = 2").stdout == "2:1\n")
        // With the guard dropped, check names the row no pair names, and --repair names it again.
        try sqlite(ct, "DROP TRIGGER change_set_cases_are_kept_delete; DELETE FROM change_set_cases WHERE change_set = 2")
        let check = try ct.run("check")
        #expect(check.status == 1)
        #expect(check.stderr.contains("rows whose change set change_set_cases does not name with their case: arrest 1\n"))
        let repair = try ct.run("check", "--repair")
        #expect(repair.stderr == "Re-created trigger change_set_cases_are_kept_delete, the change sets' lists of cases.\n")
        #expect(try sqlite(ct, pairs + " WHERE change_set = 2").stdout == "2:1\n")
        // Undo finds the row again.
        #expect(try ct.run("undo", "2").status == 0)
        #expect(try sqlite(ct, "SELECT count(*) FROM arrests WHERE id = 1").stdout == "0\n")
    }

    @Test func replaceAndUpsertFromTheShellAreRefusedAndChangeNothing() throws {
        let ct = try Casetrack()
        try ct.enterSeedCases()
        let before = try ct.dump()
        let replace = try sqlite(ct, "INSERT OR REPLACE INTO arrests(id, case_id, count, phase) VALUES (1, 1, 7, 'initial')")
        #expect(replace.stdout.contains("arrests: a row with this key exists; change it with UPDATE (REPLACE and UPSERT would bypass its history)"))
        let upsert = try sqlite(ct, "INSERT INTO cases(city, code, year) VALUES ('420600', '1.13', 2023) ON CONFLICT DO UPDATE SET note = 'x'")
        #expect(upsert.stdout.contains("cases: a row with this key exists"))
        #expect(try ct.dump() == before)
    }

    @Test func aDroppedTriggerStopsWritesAndCheckRepairRestoresItAsARecordedChange() throws {
        let ct = try Casetrack()
        try ct.enterSeedCases()
        try sqlite(ct, "DROP TRIGGER arrests_history_insert; DROP TRIGGER history_is_append_only_delete")
        let before = ct.databaseBytes()
        let refused = try ct.run("arrest", "add", "鄂州/9.9", "--count", "2")
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("the history trigger arrests_history_insert is missing"))
        #expect(refused.stderr.contains("casetrack check --repair"))
        #expect(ct.databaseBytes() == before)
        let check = try ct.run("check")
        #expect(check.stderr.contains("the trigger history_is_append_only_delete is missing"))
        let repair = try ct.run("check", "--repair")
        #expect(repair.stderr == "Re-created trigger arrests_history_insert, trigger history_is_append_only_delete.\n")
        #expect(repair.stdout.contains("no problems found"))
        let log = try Casetrack.objects(try ct.run("log", "--format", "json").stdout)
        #expect(log.first?["command"] as? String == "casetrack check --repair")
        #expect(log.first?["record"] as? String == "no record changed")
        #expect(try sqlite(ct, "SELECT command FROM change_sets ORDER BY id DESC LIMIT 1").stdout == "casetrack check --repair\n")
    }

    @Test func shellWritesAreRecordedUnsealedAndCanBeUndone() throws {
        let ct = try Casetrack()
        try ct.enterSeedCases()
        let before = try ct.run("export").stdout
        try sqlite(ct, "PRAGMA foreign_keys=ON; INSERT INTO arrests(case_id, count, phase) VALUES (1, 5, 'initial'); UPDATE cases SET note = '外部' WHERE id = 1")
        let log = try Casetrack.objects(try ct.run("log", "--limit", "1", "--format", "json").stdout)
        #expect(Set(log.compactMap { $0["command"] as? String }) == ["outside casetrack"])
        #expect(Set(log.compactMap { $0["outside"] as? String }) == ["yes"])
        #expect(Set(log.compactMap { $0["action"] as? String }) == ["insert", "update"])
        #expect(try ct.run("undo").status == 0)
        #expect(try ct.run("export").stdout == before)
        #expect(try ct.run("check").status == 0)
    }

    @Test func alteredHistoryBreaksTheDigestChainAtThatChangeSet() throws {
        let ct = try Casetrack()
        try ct.enterSeedCases()
        try ct.run("case", "edit", "鄂州/9.9", "--name", "第一次")
        try ct.run("case", "edit", "鄂州/9.9", "--name", "第二次")
        let head = try ct.run("check").stdout
        #expect(head.contains("chain head: change set 11 "))
        // Forge history from the shell, with the guard dropped and put back.
        try sqlite(ct, "DROP TRIGGER history_is_append_only_update; UPDATE history SET image = json_set(image, '$.name', '伪造') WHERE change_set = 11")
        try ct.run("check", "--repair")
        let check = try ct.run("check")
        #expect(check.status == 1)
        #expect(check.stderr.contains("change set 11: its history or metadata was altered, deleted or forged after it was written"))
    }

    @Test func aChangeSetForgedFromTheShellIsNamedByCheck() throws {
        let ct = try Casetrack()
        try ct.enterSeedCases()
        try sqlite(ct, "INSERT INTO change_sets (user, command, open) VALUES ('另一人', 'casetrack import 名单.csv', 0)")
        let check = try ct.run("check")
        #expect(check.status == 1)
        #expect(check.stderr.contains("change set 10 (casetrack import 名单.csv) carries no seal: it was written into the history from outside casetrack"))
    }

    @Test func aSecondVersionDatabaseIsUpgradedWithItsAuditTrailAsHistory() throws {
        let ct = try Casetrack()
        let old = ct.home.appendingPathComponent("v2.db").path
        try FileManager.default.copyItem(atPath: Casetrack.fixtures.appendingPathComponent("schema-v2.db").path, toPath: old)
        let report = try Casetrack.objects(try ct.run("report", "--by", "year", "--format", "json", "--db", old).stdout)
        #expect(report.first?["arrests"] as? Int == 586)
        #expect(try ct.run("check", "--db", old).status == 0)
        let fresh = ct.home.appendingPathComponent("fresh.db").path
        try ct.run("init", "--db", fresh)
        let schema = "SELECT type || ' ' || name || ' ' || sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name"
        #expect(try ct.shell("sqlite3 '\(old)' \"\(schema)\"").stdout == (try ct.shell("sqlite3 '\(fresh)' \"\(schema)\"").stdout))
        let log = try Casetrack.objects(try ct.run("log", "--db", old, "--format", "json").stdout)
        #expect(log.first?["command"] as? String == "casetrack arrest rm 3")
        #expect(log.first?["outside"] as? String == "no")
        // The old audit trail still undoes: the removed 169 come back.
        #expect(try ct.run("undo", "--db", old).status == 0)
        let after = try Casetrack.objects(try ct.run("report", "--by", "year", "--format", "json", "--db", old).stdout)
        #expect(after.first?["arrests"] as? Int == 755)
    }

    @Test func aResultMovedUnderTheSecondVersionIsUndoneIntoItsOwnCaseAfterTheUpgrade() throws {
        let ct = try Casetrack()
        let old = ct.home.appendingPathComponent("v2.db").path
        try FileManager.default.copyItem(atPath: Casetrack.fixtures.appendingPathComponent("schema-v2.db").path, toPath: old)
        // Written by the second version's audit triggers, which named the case the row moved to.
        try ct.shell("sqlite3 '\(old)' \"UPDATE arrests SET case_id = 1 WHERE id = 2\"")
        let moved = "SELECT case_id FROM arrests WHERE id = 2"
        let before = try ct.shell("sqlite3 '\(old)' \"SELECT case_id FROM audit WHERE table_name = 'arrests' AND row_id = 2 AND action = 'update'\"").stdout
        #expect(before == "1\n")
        #expect(try ct.run("check", "--db", old).status == 0)
        #expect(try ct.shell("sqlite3 '\(old)' \"SELECT case_id FROM history WHERE table_name = 'arrests' AND row_id = 2\"").stdout == "2\n")
        #expect(try ct.run("undo", "--db", old).status == 0)
        #expect(try ct.shell("sqlite3 '\(old)' \"\(moved)\"").stdout == "2\n")
        #expect(try ct.run("check", "--db", old).status == 0)
    }

    @Test func shellWritesWithAConflictClauseAreRecordedAndKeepEveryDerivedTable() throws {
        let ct = try Casetrack()
        try ct.enterSeedCases()
        // A trigger's statements take the conflict clause of the statement that fired them.
        for sql in [
            "INSERT OR ABORT INTO arrests (case_id, count) VALUES (2, 4); INSERT OR ROLLBACK INTO arrests (case_id, count) VALUES (2, 5)",
            "UPDATE OR FAIL arrests SET count = 100 WHERE id = 1",
            "UPDATE OR ABORT cases SET note = '外部' WHERE id = 3",
            // Skipped after its BEFORE trigger noted the case's search text: the note stays.
            "UPDATE OR IGNORE gangs SET count = 0, name = '跳过' WHERE id = 1",
            "UPDATE OR FAIL gangs SET name = '外部团伙' WHERE id = 1",
        ] {
            let result = try sqlite(ct, "PRAGMA foreign_keys=ON; " + sql)
            #expect(result.status == 0, "\(sql): \(result.stdout)\(result.stderr)")
        }
        let check = try ct.run("check")
        #expect(check.status == 0, "\(check.stderr)")
        #expect(try ct.run("search", "外部团伙", "--format", "csv").stdout.contains("襄阳"))
        #expect(try sqlite(ct, "SELECT count, case_id FROM arrests WHERE id >= 5 OR id = 1 ORDER BY id").stdout == "100|1\n4|2\n5|2\n")
        #expect(try ct.run("undo").status == 0)
        #expect(try ct.run("check").status == 0)
    }

    /// History keeps one version per change set: what a change set wrote and changed again, or
    /// created and removed, is never brought back by its undo.
    @Test func undoOfShellWritesThatChangeARowTwiceGivesBackWhatWasThereBefore() throws {
        let ct = try Casetrack()
        try ct.enterSeedCases()
        let before = try ct.run("export").stdout
        let report = try ct.run("report", "--by", "city", "--format", "csv").stdout
        try sqlite(ct, """
            PRAGMA foreign_keys=ON; BEGIN;
            UPDATE arrests SET count = 300 WHERE id = 1; UPDATE arrests SET count = 400 WHERE id = 1;
            INSERT INTO gangs (case_id, count) VALUES (2, 9); DELETE FROM gangs WHERE id = (SELECT max(id) FROM gangs);
            INSERT INTO arrests (case_id, count) VALUES (1, 5); UPDATE arrests SET count = 50 WHERE id = (SELECT max(id) FROM arrests);
            UPDATE links SET count = 8 WHERE id = 1; DELETE FROM links WHERE id = 1;
            COMMIT;
            """)
        let log = try Casetrack.objects(try ct.run("log", "--limit", "1", "--format", "json").stdout)
        let changes = log.map { "\($0["action"] as? String ?? "") \($0["record"] as? String ?? "") \($0["field"] as? String ?? "") \($0["before"] as? String ?? "") \($0["after"] as? String ?? "")" }
        #expect(changes.contains { $0.hasPrefix("update arrest #1 ") && $0.hasSuffix("count 249 400") }, "\(changes)")
        #expect(!changes.contains { $0.contains("300") || $0.contains("gang") }, "\(changes)")
        #expect(changes.contains { $0.hasPrefix("insert arrest #5 ") }, "\(changes)")
        #expect(changes.contains { $0.hasPrefix("delete link #1 ") }, "\(changes)")
        #expect(try sqlite(ct, "SELECT action, table_name, row_id, json_extract(image, '$.count') FROM history ORDER BY id").stdout
            == "update|arrests|1|249\nupdate|links|1|7\ndelete|links|1|7\n")
        let undo = try ct.run("undo")
        #expect(undo.status == 0, "\(undo.stderr)")
        #expect(try ct.run("export").stdout == before)
        #expect(try ct.run("report", "--by", "city", "--format", "csv").stdout == report)
        #expect(try ct.run("check").status == 0)
        #expect(try ct.run("redo").status == 0)
        #expect(try sqlite(ct, "SELECT group_concat(id || ':' || count, ' ') FROM arrests").stdout == "1:400 2:337 3:169 4:197 5:50\n")
        #expect(try sqlite(ct, "SELECT count(*) FROM links WHERE id = 1").stdout == "0\n")
        #expect(try ct.run("check").status == 0)
    }

    @Test func aChangeOfCaseAloneInAnAliasIsRecorded() throws {
        let ct = try Casetrack()
        try ct.enterSeedCases()
        // The alias column compares without case, the history does not.
        try sqlite(ct, "UPDATE category_aliases SET alias = 'FRAUD' WHERE alias = 'fraud'")
        #expect(try sqlite(ct, "SELECT action, table_name, json_extract(image, '$.alias') FROM history").stdout == "update|category_aliases|fraud\n")
        #expect(try ct.run("undo").status == 0)
        #expect(try sqlite(ct, "SELECT count(*) FROM category_aliases WHERE alias = 'fraud' COLLATE BINARY").stdout == "1\n")
        #expect(try ct.run("check").status == 0)
    }

    @Test func aRowCannotBeMovedIntoAnotherChangeSetFromTheShell() throws {
        let ct = try Casetrack()
        try ct.enterSeedCases()
        let before = try ct.dump()
        let moved = try sqlite(ct, "UPDATE arrests SET change_set = 1 WHERE id = 1")
        #expect(moved.stderr.contains("arrests: change_set names the change set that wrote the row; only the triggers stamp it (with the open one)"))
        #expect(try ct.dump() == before)
        // The arrest batch is still its own change set's, which undoes it alone.
        #expect(try ct.run("undo", "2", "--force").status == 0)
        #expect(try sqlite(ct, "SELECT count(*) FROM arrests WHERE id = 1").stdout == "0\n")
        #expect(try ct.run("check").status == 0)
    }

    @Test func aShellUpdateSQLiteSkipsLeavesNoChangeSetBehind() throws {
        let ct = try Casetrack()
        try ct.enterSeedCases()
        // The history triggers open an outside change set before the row, which is then skipped.
        try sqlite(ct, "UPDATE OR IGNORE arrests SET count = 0 WHERE id = 1")
        #expect(try sqlite(ct, "SELECT id, command, open FROM change_sets WHERE id > 9").stdout == "10|outside casetrack|1\n")
        try ct.run("arrest", "add", "鄂州/9.9", "--count", "1")
        #expect(try sqlite(ct, "SELECT id, command, open FROM change_sets WHERE id > 9").stdout
            == "10|casetrack arrest add 鄂州/9.9 --count 1|0\n")
        #expect(try ct.run("check").status == 0)
    }

    @Test func undoingALinkTypeRenameNamesTheLinksItRestampsWithTheirCases() throws {
        let ct = try Casetrack()
        try ct.enterSeedCases()
        try ct.run("link", "add", "汉川/6406", "--type", "洗钱")
        try sqlite(ct, "PRAGMA foreign_keys=ON; UPDATE link_types SET name = '洗钱X' WHERE name = '洗钱'")
        let rename = try sqlite(ct, "SELECT max(id) FROM change_sets").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try ct.run("link", "add", "鄂州/9.9", "--type", "洗钱X")
        #expect(try ct.run("undo", rename).status == 0)
        #expect(try sqlite(ct, "SELECT DISTINCT type FROM links WHERE type IS NOT NULL").stdout == "洗钱\n")
        #expect(try ct.run("check").status == 0)
    }

    @Test func undoOfAnImportUndoneAndRedoneRefusesWhenLaterResultsJoinedItsCases() throws {
        let ct = try Casetrack()
        try ct.run("import", ImportCommandTests.seed)
        #expect(try ct.run("undo").status == 0)
        #expect(try ct.run("redo").status == 0)
        try ct.run("arrest", "add", "襄阳/1.13", "--count", "5")
        let refused = try ct.run("undo", "1")
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("arrest #5 of 襄阳\"1.13\"@2023 (added in change set 4 to a case this change set created)"), "\(refused.stderr)")
        #expect(try Casetrack.objects(try ct.run("report", "--format", "json").stdout).count == 3, "nothing was reverted")
        // Without later changes the redone import undoes again.
        #expect(try ct.run("undo").status == 0)
        #expect(try ct.run("undo", "1").status == 0)
        #expect(try Casetrack.objects(try ct.run("case", "list", "--format", "json").stdout).isEmpty)
        #expect(try ct.run("check").status == 0)
    }

    @Test func undoOfAnImportRemovesItsRowsAndRefusesWhenLaterResultsJoinedItsCases() throws {
        let ct = try Casetrack()
        let file = try ct.generatedDocuments(50)
        try ct.run("import", file)
        try ct.run("arrest", "add", "襄阳/G.8", "--count", "3")
        let refused = try ct.run("undo", "1")
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("(added in change set 2 to a case this change set created)"))
        #expect(try ct.run("undo").status == 0)
        #expect(try ct.run("undo").status == 0)
        #expect(try Casetrack.objects(try ct.run("case", "list", "--format", "json").stdout).isEmpty)
        #expect(try ct.run("check").status == 0)
    }
}
