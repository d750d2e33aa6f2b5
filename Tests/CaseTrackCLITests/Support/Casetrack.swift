import CaseTrackCore
import Foundation

/// Runs the built `casetrack` binary in a private temporary data folder.
struct Casetrack {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        /// True when the process ended by a signal (a crash) rather than by exiting.
        var crashed: Bool
    }

    /// A fresh folder standing in for XDG_DATA_HOME; the default database lives inside it.
    let home: URL
    var environment: [String: String]

    init() throws {
        home = FileManager.default.temporaryDirectory.appendingPathComponent("casetrack-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_DATA_HOME"] = home.path
        environment["HOME"] = home.path
        environment.removeValue(forKey: "CASETRACK_DB")
        self.environment = environment
    }

    /// The database used when no --db is given.
    var defaultDatabase: String { home.appendingPathComponent("casetrack/casetrack.db").path }

    static let binary: URL = {
        if let override = ProcessInfo.processInfo.environment["CASETRACK_BIN"] { return URL(fileURLWithPath: override) }
        // The test bundle is built next to the executable products.
        let testBinary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let besideTests = testBinary.deletingLastPathComponent().appendingPathComponent("casetrack")
        if FileManager.default.fileExists(atPath: besideTests.path) { return besideTests }
        return Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("casetrack")
    }()

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    @discardableResult
    func run(_ arguments: [String], stdin: Data? = nil) throws -> Result {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = home
        // Output goes to files, so that a large output can never block the process on a full pipe.
        let outFile = home.appendingPathComponent("stdout-\(UUID().uuidString)")
        let errFile = home.appendingPathComponent("stderr-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: outFile.path, contents: nil)
        FileManager.default.createFile(atPath: errFile.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: outFile)
            try? FileManager.default.removeItem(at: errFile)
        }
        let out = try FileHandle(forWritingTo: outFile)
        let err = try FileHandle(forWritingTo: errFile)
        let input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        try out.close()
        try err.close()
        let outData = try Data(contentsOf: outFile)
        let errData = try Data(contentsOf: errFile)
        return Result(
            status: process.terminationStatus,
            stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self),
            crashed: process.terminationReason == .uncaughtSignal)
    }

    func run(_ arguments: String...) throws -> Result { try run(arguments) }

    /// Enters the three seed cases with commands, as seed/hubei-2023.sh does.
    func enterSeedCases(db: String? = nil) throws {
        let extra = db.map { ["--db", $0] } ?? []
        let commands: [[String]] = [
            ["case", "add", "--city", "襄阳", "--code", "1.13", "--opened", "2023-01-13", "--category", "电信网络诈骗"],
            ["arrest", "add", "襄阳/1.13", "--count", "249"],
            ["gang", "add", "襄阳\"1.13\"", "--count", "12"],
            ["case", "add", "--city", "汉川", "--code", "6406", "--year", "2023"],
            ["arrest", "add", "汉川/6406", "--count", "337"],
            ["arrest", "add", "汉川“6406”", "--count", "169", "--phase", "extended"],
            ["case", "add", "--city", "鄂州", "--code", "9·9", "--year", "2023"],
            ["arrest", "add", "鄂州/9.9", "--count", "197"],
            ["link", "add", "鄂州/9.9", "--count", "7"],
        ]
        for command in commands {
            let result = try run(command + extra)
            guard result.status == 0 else {
                throw CaseTrackError.input("seed command \(command) failed: \(result.stderr)")
            }
        }
    }

    /// The database's content as text, to prove a failed command changed nothing.
    func dump(_ path: String? = nil) throws -> String {
        try CaseStore(path: path ?? defaultDatabase).dumpContent()
    }

    /// Parses JSON output into an array of objects.
    static func objects(_ text: String) throws -> [[String: Any]] {
        let value = try JSONSerialization.jsonObject(with: Data(text.utf8))
        return value as? [[String: Any]] ?? []
    }
}
