import ArgumentParser
import TopicPolicy

/// `eventctl topics apply --bootstrap HOST:PORT [--file topics.yaml] [--allow-delete]`.
///
/// Plans, applies the actions in order, then plans again to confirm the cluster
/// matches. Exit 0 when the cluster matches afterwards (including when there was
/// nothing to do); 1 when the plan is refused (nothing is applied), an action
/// fails (the broker's message is printed; actions before it stay applied), or the
/// re-plan still shows changes.
struct TopicsApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Make the cluster match the topics file. Exit 0 applied or nothing to do, 1 failure.")

    @OptionGroup var cluster: TopicsClusterOptions
    @OptionGroup var file: TopicsFileOption

    @Flag(name: .long, help: "Delete topics the file does not declare (never immutable or internal ones).")
    var allowDelete = false

    func run() async throws {
        let topics = try file.load()
        let allowDelete = self.allowDelete
        try await TopicsReconciler.withReconciler(cluster) { reconciler in
            let plan = try await reconciler.plan(topics, allowDelete: allowDelete)
            TopicsConsole.out(TopicPlanRenderer.render(plan))
            switch plan.outcome {
            case .upToDate:
                return
            case .refused:
                TopicsConsole.error("eventctl: nothing applied: the plan has refused changes")
                throw ExitCode.failure
            case .changesPending:
                break
            }
            TopicsConsole.out("\nApplying:\n")
            for action in plan.actions {
                do {
                    try await reconciler.apply(action)
                    TopicsConsole.out("  done: \(TopicsReconciler.describe(action))\n")
                } catch {
                    TopicsConsole.out("  FAILED: \(TopicsReconciler.describe(action))\n")
                    TopicsConsole.error("eventctl: \(TopicsReconciler.describe(action)) failed: \(TopicsReconciler.message(error))")
                    throw ExitCode.failure
                }
            }
            let after = try await reconciler.replanUntilSettled(topics, allowDelete: allowDelete)
            guard after.outcome == .upToDate else {
                TopicsConsole.out("\nAfter apply the cluster still differs:\n" + TopicPlanRenderer.render(after))
                TopicsConsole.error("eventctl: the cluster does not match the topics file after apply")
                throw ExitCode.failure
            }
            TopicsConsole.out("\nApplied. Re-plan: " + TopicPlanRenderer.summary(after) + "\n")
        }
    }
}
