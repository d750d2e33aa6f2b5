import CaseTrackCore
import Foundation

/// Runs the built `casetrack` binary in a private temporary data folder.
final class Casetrack {
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

    /// The test's folder goes with it, so that runs leave nothing behind.
    deinit {
        try? FileManager.default.removeItem(at: home)
    }

    /// The register commands use when they name none: a file in `home`, or (`.server`) a
    /// database of its own on the test server, named by $CASETRACK_DB.
    let backend: Backend
    private let server: ServerDatabase?

    init(on backend: Backend = .file) throws {
        self.backend = backend
        home = FileManager.default.temporaryDirectory.appendingPathComponent("casetrack-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_DATA_HOME"] = home.path
        environment["HOME"] = home.path
        environment.removeValue(forKey: "CASETRACK_DB")
        if backend == .server {
            let server = try ServerDatabase()
            environment["CASETRACK_DB"] = server.url()
            self.server = server
        } else {
            server = nil
        }
        self.environment = environment
    }

    /// The register used when no --db is given.
    var defaultDatabase: String { server?.url() ?? home.appendingPathComponent("casetrack/casetrack.db").path }

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

    /// Writes a file in the test's own folder and returns its path.
    func write(_ name: String, _ text: String) throws -> String {
        let url = home.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    /// Parses JSON output holding one object.
    static func object(_ text: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] ?? [:]
    }

    /// Parses JSON output into an array of objects.
    static func objects(_ text: String) throws -> [[String: Any]] {
        let value = try JSONSerialization.jsonObject(with: Data(text.utf8))
        return value as? [[String: Any]] ?? []
    }
}

extension Casetrack {
    /// Starts casetrack without waiting for it (for concurrency and crash tests).
    func start(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Runs a shell command line with this environment (casetrack on PATH as `$CT`).
    @discardableResult
    func shell(_ script: String) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        var environment = self.environment
        environment["CT"] = Self.binary.path
        process.environment = environment
        process.currentDirectoryURL = home
        let out = home.appendingPathComponent("sh-\(UUID().uuidString).out")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        let handle = try FileHandle(forWritingTo: out)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        process.waitUntilExit()
        try handle.close()
        let text = try String(contentsOf: out, encoding: .utf8)
        try? FileManager.default.removeItem(at: out)
        return Result(status: process.terminationStatus, stdout: text, stderr: text, crashed: process.terminationReason == .uncaughtSignal)
    }

    /// Writes `count` generated case documents (each with two arrest batches and a gang) to a file.
    func generatedDocuments(_ count: Int, name: String = "generated.jsonl") throws -> String {
        let cities = ["襄阳", "汉川", "鄂州", "武汉", "宜昌", "黄冈", "荆州", "孝感"]
        var text = ""
        for i in 1...count {
            let city = cities[i % cities.count]
            text += #"{"city":"\#(city)","code":"G.\#(i)","year":\#(2019 + i % 6),"name":"生成的专案 \#(i), \"测试\"","#
                + #""arrests":[{"count":\#(i % 97 + 1)},{"count":\#(i % 13 + 1),"phase":"extended","date":"\#(2019 + i % 6)-0\#(i % 9 + 1)"}],"#
                + #""gangs":[{"count":\#(i % 3 + 1)}],"links":[]}"# + "\n"
        }
        let url = home.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    /// The main database file and its WAL, byte for byte.
    func databaseBytes(_ path: String? = nil) -> [Data?] {
        let base = path ?? defaultDatabase
        return [base, base + "-wal"].map { FileManager.default.contents(atPath: $0) }
    }
}
