import ArgumentParser

/// `eventctl` — the operator's tool. Subcommands and exit codes are a contract (DESIGN.md):
/// 0 success, 1 error, others as each subcommand documents.
@main
struct EventCtl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eventctl",
        abstract: "Operate a ComplianceLog deployment: topics, schemas, audits, demos.",
        // Each subcommand lives in its own file; register it here.
        subcommands: [SchemasCommand.self, TopicsCommand.self, VerifyCommand.self, ReplayCommand.self, ProveCommand.self, VerifyProofCommand.self, AuditCommand.self, UsersCommand.self, SagasCommand.self, DemoCommand.self])
}
