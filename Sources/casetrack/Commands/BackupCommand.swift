import ArgumentParser
import CaseTrackCore

struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Write a consistent copy of the database (safe while others write); the copy is private (0600).")

    @Argument(help: ArgumentHelp("Where to write the copy: a new file, or an existing folder (the copy is then named casetrack-YYYYMMDD-HHMMSS.db).", valueName: "dest"))
    var destination: String
    @OptionGroup var store: StoreOptions

    func run() throws {
        let written = try store.openForReading().backup(to: destination)
        print("Backed up to \(written).")
    }
}
