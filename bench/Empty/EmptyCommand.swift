import ArgumentParser
import GRDB

/// A command-line binary with casetrack's dependencies and nothing else: the floor for start-up.
@main
struct EmptyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "casetrack-empty", version: "0")

    func run() throws {
        _ = try DatabaseQueue()
    }
}
