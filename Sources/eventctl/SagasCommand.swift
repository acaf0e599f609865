import ArgumentParser

/// `eventctl sagas …` — the saga orchestrator's definitions and state.
struct SagasCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sagas",
        abstract: "Saga definitions as diagrams, and sagas by state.",
        subcommands: [SagasDiagramCommand.self, SagasStatusCommand.self])
}
