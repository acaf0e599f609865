import ArgumentParser

/// `eventctl demo …` — end-to-end demonstrations.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "End-to-end demonstrations against a broker.",
        subcommands: [DemoPaymentsCommand.self])
}
