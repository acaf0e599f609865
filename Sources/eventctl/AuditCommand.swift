import ArgumentParser

/// `eventctl audit …`: the audit companion for stock Kafka clusters.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Audit-chain tools for clusters without eventd.",
        subcommands: [AuditFollowCommand.self])
}
