import ArgumentParser

/// `eventctl topics …` — the topic-policy reconciler CI runs (DESIGN.md contract).
///
/// Exit codes: `lint` 0 valid / 1 invalid; `plan` 0 nothing to change, 2 changes
/// pending, 1 error or refused change; `apply` 0 applied (or nothing to do), 1 failure.
struct TopicsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "topics",
        abstract: "Reconcile a Kafka cluster's topics with topics.yaml.",
        discussion: """
            plan and apply work against any Kafka cluster. Only declared topics and \
            declared configs are managed; undeclared topics are reported and deleted only \
            with --allow-delete (never when immutable). Internal topics (__*, _schemas) are \
            ignored. The compliancelog.* policy configs are managed only on clusters that \
            report them (eventd).
            """,
        subcommands: [TopicsLintCommand.self, TopicsPlanCommand.self, TopicsApplyCommand.self])
}
