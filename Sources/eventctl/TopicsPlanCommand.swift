import ArgumentParser
import TopicPolicy

/// `eventctl topics plan --bootstrap HOST:PORT [--file topics.yaml] [--allow-delete]`.
///
/// Prints the diff and exits 0 when nothing would change, 2 when changes are
/// pending, 1 on error or when a declared change is refused (partition decrease,
/// replication change, policy weakening, deleting an immutable topic) — a file
/// that cannot be applied is a failure, not a pending change.
struct TopicsPlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show what apply would change. Exit 0 no changes, 2 changes pending, 1 error or refused change.")

    @OptionGroup var cluster: TopicsClusterOptions
    @OptionGroup var file: TopicsFileOption

    @Flag(name: .long, help: "Plan deletion of undeclared topics (as apply --allow-delete would).")
    var allowDelete = false

    func run() async throws {
        let topics = try file.load()
        let plan = try await TopicsReconciler.withReconciler(cluster) { reconciler in
            try await reconciler.plan(topics, allowDelete: allowDelete)
        }
        TopicsConsole.out(TopicPlanRenderer.render(plan))
        switch plan.outcome {
        case .upToDate: return
        case .changesPending: throw ExitCode(2)
        case .refused: throw ExitCode.failure
        }
    }
}
