import ArgumentParser
import CaseTrackCore

struct CitiesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cities", abstract: "List the known divisions (GB/T 2260), or add one.",
        subcommands: [List.self, Add.self], defaultSubcommand: List.self)

    struct List: ParsableCommand, WritesOutput {
        static let configuration = CommandConfiguration(abstract: "List divisions, prefectures each followed by their counties.")
        @Option(help: "Only this prefecture and its counties.") var under: String?
        @OptionGroup var output: FormatOptions
        @OptionGroup var outputFile: OutputFileOptions
        @OptionGroup var store: StoreOptions

        func run() throws {
            output.print(VocabularyTables.cities(try store.openForVocabulary().cities(under: under)))
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a division.")
        @Option(help: "Six-digit GB/T 2260 code.") var code: String
        @Option(help: "Short name (汉川).") var name: String
        @Option(help: "Full name (汉川市); defaults to the short name.") var fullName: String?
        @Option(help: "Pinyin without tones (hanchuan).") var pinyin: String?
        @Option(help: "The prefecture it belongs to, for a county-level division.") var parent: String?
        @OptionGroup var store: StoreOptions

        func run() throws {
            let city = try store.openStore().addCity(code: code, shortName: name, fullName: fullName, pinyin: pinyin, parent: parent)
            print("Added \(city.fullName) (\(city.code)).")
        }
    }
}

/// `categories` and `link-types` share their shape: list, or add a name with aliases.
protocol VocabularyCommand {
    static var vocabulary: Vocabulary { get }
}

struct VocabularyList<V: VocabularyCommand>: ParsableCommand, WritesOutput {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "list", abstract: "List the names and their aliases.")
    }
    @OptionGroup var output: FormatOptions
        @OptionGroup var outputFile: OutputFileOptions
    @OptionGroup var store: StoreOptions

    func run() throws {
        output.print(VocabularyTables.entries(try store.openForVocabulary().entries(of: V.vocabulary)))
    }
}

struct VocabularyAdd<V: VocabularyCommand>: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "add", abstract: "Add a name, or aliases to an existing name.")
    }
    @Argument(help: "The name.") var name: String
    @Option(name: .customLong("alias"), help: "Another name for it (repeatable).") var aliases: [String] = []
    @OptionGroup var store: StoreOptions

    func run() throws {
        let entry = try store.openStore().addEntry(name, aliases: aliases, to: V.vocabulary)
        print("\(entry.name)" + (entry.aliases.isEmpty ? "" : " (\(entry.aliases.joined(separator: ", ")))"))
    }
}

struct CategoriesCommand: ParsableCommand, VocabularyCommand {
    static let vocabulary = Vocabulary.category
    static let configuration = CommandConfiguration(
        commandName: "categories", abstract: "List the case categories and their aliases, or add one.",
        subcommands: [VocabularyList<CategoriesCommand>.self, VocabularyAdd<CategoriesCommand>.self],
        defaultSubcommand: VocabularyList<CategoriesCommand>.self)
}

struct LinkTypesCommand: ParsableCommand, VocabularyCommand {
    static let vocabulary = Vocabulary.linkType
    static let configuration = CommandConfiguration(
        commandName: "link-types", abstract: "List the chain-link types and their aliases, or add one.",
        subcommands: [VocabularyList<LinkTypesCommand>.self, VocabularyAdd<LinkTypesCommand>.self],
        defaultSubcommand: VocabularyList<LinkTypesCommand>.self)
}
