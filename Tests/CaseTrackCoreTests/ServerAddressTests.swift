@testable import CaseTrackCore
import Foundation
import Testing

/// Server addresses as users write them, libpq's variables and password file, and what the
/// history keeps of a command line naming a server.
@Suite struct ServerAddressTests {
    @Test func addressFieldsComeFromTheURLThenFromLibpqsVariables() throws {
        let full = try ServerAddress("postgresql://xiangyang:pw@db.hubei.example:5433/casetrack?sslmode=require", environment: [:])
        #expect(full.user == "xiangyang" && full.host == "db.hubei.example" && full.port == 5433 && full.database == "casetrack")
        #expect(full.password == "pw" && full.sslMode == .require)
        #expect(full.description == "postgresql://xiangyang@db.hubei.example:5433/casetrack")
        let bare = try ServerAddress("postgresql://", environment: ["PGHOST": "/run/postgresql", "PGPORT": "5434", "PGUSER": "ezhou", "PGDATABASE": "reg"])
        #expect(bare.socketFolder == "/run/postgresql" && bare.port == 5434 && bare.user == "ezhou" && bare.database == "reg")
    }

    @Test func aPortOutsideOneTo65535IsRefused() {
        #expect(throws: CaseTrackError.input("the server port '99999' is not a port number (1 to 65535)")) {
            try ServerAddress("postgresql://u@h:99999/d", environment: [:])
        }
        #expect(throws: CaseTrackError.input("the server port '0' is not a port number (1 to 65535)")) {
            try ServerAddress("postgresql://u@h/d", environment: ["PGPORT": "0"])
        }
    }

    @Test func thePasswordFileGivesTheFirstMatchingLineWithWildcardsAndEscapes() {
        let file = """
            # comment
            other.example:5432:*:xiangyang:not-this
            db.hubei.example:5432:casetrack:xiangyang:first
            *:*:*:xiangyang:second
            *:*:*:ezhou:pa\\:ss\\\\word
            """
        #expect(ServerAddress.password(in: file, host: "db.hubei.example", port: 5432, database: "casetrack", user: "xiangyang") == "first")
        #expect(ServerAddress.password(in: file, host: "127.0.0.1", port: 5433, database: "x", user: "xiangyang") == "second")
        #expect(ServerAddress.password(in: file, host: "h", port: 1, database: "d", user: "ezhou") == "pa:ss\\word")
        #expect(ServerAddress.password(in: file, host: "h", port: 1, database: "d", user: "nobody") == nil)
    }

    @Test func aPasswordFileOthersCanReadIsIgnoredAsLibpqIgnoresIt() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pgpass-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("pgpass").path
        try Data("*:*:*:*:secret\n".utf8).write(to: URL(fileURLWithPath: path))
        chmod(path, 0o600)
        #expect(try ServerAddress("postgresql://u@h/d", environment: ["PGPASSFILE": path]).password == "secret")
        chmod(path, 0o644)
        #expect(try ServerAddress("postgresql://u@h/d", environment: ["PGPASSFILE": path]).password == nil)
    }

    @Test func theHistoryKeepsACommandLineWithoutTheServersPassword() {
        #expect(Actor.withoutPassword("postgresql://xiangyang:right-pw@127.0.0.1:5432/casetrack") == "postgresql://xiangyang:***@127.0.0.1:5432/casetrack")
        #expect(Actor.withoutPassword("--db=postgres://u:p@h/d") == "--db=postgres://u:***@h/d")
        #expect(Actor.withoutPassword("postgresql://u@h/d?sslmode=disable&password=x1") == "postgresql://u@h/d?sslmode=disable&password=***")
        #expect(Actor.withoutPassword("postgresql:/u:typo@h/d") == "postgresql:/u:***@h/d")
        #expect(Actor.withoutPassword("襄阳/1.13") == "襄阳/1.13")
    }
}
