import ArgumentParser

/// `eventctl schemas …` — offline schema tools.
struct SchemasCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schemas",
        abstract: "Schema registry tools: compatibility checks of Avro and JSON schemas.",
        subcommands: [SchemasCheckCasesCommand.self])
}
