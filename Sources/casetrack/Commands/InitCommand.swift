import ArgumentParser
import CaseTrackCore

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Create the database (or bring an existing one up to date) and print its path.")

    @OptionGroup var store: StoreOptions

    func run() throws {
        let opened = try store.openStore()
        print(opened.path)
    }
}
