import Foundation
import Testing

/// The places an attack on the register found (issue "Hostile paths"), each reproduced.
@Suite struct HostilePathsTests {
    @Test func aFIFOOrADeviceAsTheDatabaseIsRefusedAndNothingIsLeftBehind() throws {
        let ct = try Casetrack()
        let fifo = ct.home.appendingPathComponent("pipe").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let refused = try ct.run("case", "add", "--city", "襄阳", "--code", "1", "--year", "2023", "--db", fifo)
        #expect(refused.stderr == "Error: \(fifo) is not a casetrack database (it is a FIFO, not a file); nothing was changed\n")
        #expect(!FileManager.default.fileExists(atPath: fifo + "-journal"))
        // A device, reached through a link in the test's own folder, so that nothing is ever
        // written beside the real one.
        let device = ct.home.appendingPathComponent("device.db").path
        try FileManager.default.createSymbolicLink(atPath: device, withDestinationPath: "/dev/null")
        #expect(try ct.run("report", "--db", device).stderr == "Error: \(device) is not a casetrack database (it is a device, not a file); nothing was changed\n")
    }

    @Test func anotherApplicationsEmptySQLiteFileIsRefusedUntouched() throws {
        let ct = try Casetrack()
        let other = ct.home.appendingPathComponent("other.db").path
        try ct.shell("sqlite3 '\(other)' 'PRAGMA user_version = 7'")
        let before = FileManager.default.contents(atPath: other)
        let refused = try ct.run("init", "--db", other)
        #expect(refused.stderr == "Error: \(other) is not a casetrack database (it is another application's SQLite file (user_version 7, application_id 0)); nothing was changed\n")
        #expect(FileManager.default.contents(atPath: other) == before)
    }

    @Test func anEmptyFileGivenAsTheDatabaseBecomesAPrivateOne() throws {
        let ct = try Casetrack()
        let empty = ct.home.appendingPathComponent("empty.db").path
        #expect(FileManager.default.createFile(atPath: empty, contents: nil, attributes: [.posixPermissions: 0o644]))
        #expect(try ct.run("init", "--db", empty).status == 0)
        for name in [empty, empty + "-wal", empty + "-shm"] where FileManager.default.fileExists(atPath: name) {
            let mode = (try FileManager.default.attributesOfItem(atPath: name)[.posixPermissions] as? NSNumber)?.intValue
            #expect(mode == 0o600, "\(name)")
        }
    }

    @Test func encodingsAreNamedInWordsAtTheRightLine() throws {
        let ct = try Casetrack()
        try ct.run("init")
        let utf16 = ct.home.appendingPathComponent("utf16.csv")
        try "city,code,opened\n襄阳,1,2023\n".data(using: .utf16)!.write(to: utf16)
        #expect(try ct.run("import", utf16.path).stderr == "Error: \(utf16.path): is UTF-16 text (\"Unicode text\" in Excel): save it as \"CSV UTF-8\" (or GB18030 with --encoding gb18030)\n")
        let gbk = ct.home.appendingPathComponent("gbk.csv")
        var bytes = Data("city,code,opened\n".utf8)
        bytes.append(Data([0xCF, 0xE5, 0xD1, 0xF4]))  // 襄阳 in GBK
        bytes.append(Data(",1,2023\n".utf8))
        try bytes.write(to: gbk)
        #expect(try ct.run("import", gbk.path).stderr == "Error: \(gbk.path): line 2: is not valid UTF-8 (for a GB18030 or GBK file add --encoding gb18030)\n")
        #expect(try ct.run("import", gbk.path, "--encoding", "gb18030").status == 0)
        let utf8 = try ct.write("utf8.csv", "city,code,opened\n襄阳,2,2023\n")
        let mojibake = try ct.run("import", utf8, "--encoding", "gb18030")
        #expect(mojibake.status == 1)
        #expect(mojibake.stderr.contains("is valid UTF-8 text; read as GB18030 its Chinese would become mojibake"))
        let bom = try ct.write("bom.csv", "\u{FEFF}city,code,opened\n襄阳,3,2023\n")
        #expect(try ct.run("import", bom, "--encoding", "gb18030").status == 0)
        let workbook = ct.home.appendingPathComponent("sheet.csv")
        try Data([0x50, 0x4B, 0x03, 0x04, 0x14, 0x00]).write(to: workbook)
        #expect(try ct.run("import", workbook.path).stderr.contains("is an Excel or WPS workbook (.xlsx), not CSV text"))
        #expect(try ct.run("import", ct.defaultDatabase).stderr.contains("is an SQLite database (a casetrack register?), not an import file"))
        #expect(try ct.run("import", ct.home.path).stderr == "Error: \(ct.home.path): is a folder; give a file\n")
    }

    @Test func aDuplicateJSONKeyIsRefusedWithItsPlace() throws {
        let ct = try Casetrack()
        try ct.run("init")
        let doc = #"{"city":"襄阳","code":"9","year":2023,"arrests":[{"count":5,"count":500000}]}"#
        let result = try ct.run(["import", "-"], stdin: Data(doc.utf8))
        #expect(result.stderr.contains("standard input: line 1: arrests[0]: the key \"count\" appears twice"))
    }

    @Test func aHugeCaseIdFromTheShellDoesNotSizeMemory() throws {
        let ct = try Casetrack()
        try ct.run("init")
        try ct.shell("sqlite3 '\(ct.defaultDatabase)' \"PRAGMA foreign_keys=ON; INSERT INTO cases(id, city, code, year) VALUES (4611686018427387904, '420600', '9', 2023)\"")
        let doc = #"{"city":"襄阳","code":"9","year":2023,"note":"x"}"#
        let result = try ct.run(["import", "-"], stdin: Data(doc.utf8))
        #expect(result.status == 0 && !result.crashed)
        #expect(result.stderr.hasPrefix("Imported: 0 cases created, 1 updated"))
    }

    @Test func aFailedGB18030ImportFromStandardInputLeavesNoCopyOfTheInput() throws {
        var ct = try Casetrack()
        let spool = ct.home.appendingPathComponent("tmp")
        try FileManager.default.createDirectory(at: spool, withIntermediateDirectories: true)
        ct.environment["TMPDIR"] = spool.path
        try ct.run("init")
        var bytes = Data("city,code,opened\n".utf8)
        bytes.append(Data([0xCF, 0xE5, 0xD1, 0xF4]))
        bytes.append(Data(",1,2099\n".utf8))
        let result = try ct.run(["import", "-", "--format", "csv", "--encoding", "gb18030"], stdin: bytes)
        #expect(result.status == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: spool.path).isEmpty)
    }

    @Test func anInterruptedExportLeavesNoFileBehind() throws {
        let ct = try Casetrack()
        try ct.enterSeedCases()
        let target = ct.home.appendingPathComponent("out.jsonl").path
        let file = try ct.generatedDocuments(3000)
        try ct.run("import", file)
        // SIGTERM while the export writes: no half-written file under the name, no temporary one.
        let process = try ct.start(["export", "-o", target])
        usleep(50_000)
        process.terminate()
        process.waitUntilExit()
        let complete = try ct.run("export").stdout
        let written = FileManager.default.fileExists(atPath: target) ? try String(contentsOfFile: target, encoding: .utf8) : nil
        #expect(written == nil || written == complete)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: ct.home.path).filter { $0.hasPrefix(".casetrack-output") }
        #expect(leftovers.isEmpty)
    }
}
