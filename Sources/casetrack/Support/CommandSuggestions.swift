import ArgumentParser
import CaseTrackCore

/// `casetrack cases list` → "unknown command 'cases'; did you mean `casetrack case`?", instead
/// of the parser's "2 unexpected arguments".
enum CommandSuggestions {
    static func check(_ arguments: [String], root: ParsableCommand.Type) throws {
        var command: ParsableCommand.Type = root
        var path = [root.configuration.commandName ?? "casetrack"]
        var words = arguments[...]
        // `help CMD …` names commands too.
        if words.first == "help" { words = words.dropFirst() }
        for word in words {
            if word.hasPrefix("-") { return }
            let subcommands = command.configuration.subcommands
            guard !subcommands.isEmpty else { return }
            let names = subcommands.compactMap { $0.configuration.commandName ?? defaultName($0) } + ["help"]
            if word == "help" { return }
            guard let next = subcommands.first(where: { ($0.configuration.commandName ?? defaultName($0)) == word }) else {
                // A command with a default subcommand takes other words as its arguments.
                if command.configuration.defaultSubcommand != nil { return }
                // Only near misses: a typo, a plural, a prefix.
                let close = names.filter { name in
                    name.hasPrefix(word) || word.hasPrefix(name) || (word.count >= 4 && name.hasPrefix(word.dropLast()))
                        || Suggestions.editDistance(Array(word), Array(name)) <= max(1, min(word.count, name.count) / 3)
                }.prefix(3)
                let hint = close.isEmpty
                    ? "; the commands are: " + names.joined(separator: ", ")
                    : "; did you mean " + close.map { "`\((path + [$0]).joined(separator: " "))`" }.joined(separator: " or ") + "?"
                throw CLIError("unknown command '\(word)' for `\(path.joined(separator: " "))`" + hint)
            }
            command = next
            path.append(word)
        }
    }

    /// The parser's own name for a command type without an explicit one (`Add` → `add`).
    private static func defaultName(_ type: ParsableCommand.Type) -> String? {
        String(describing: type).split(separator: "<").first.map { String($0).lowercased() }
    }
}
