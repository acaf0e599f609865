/// Renders a ``TopicPlan`` as the readable diff `eventctl topics plan` prints.
///
/// ```
/// + create orders: 6 partitions, replication factor 1
///     cleanup.policy = delete
///     retention.ms = 604800000
/// ~ payments: retention.ms 604800000 → 220752000000
/// ~ payments: partitions 6 → 12
/// - delete legacy
/// ! refused: ledger: cannot decrease partitions 12 → 6: …
/// ? undeclared topic scratch (not deleted; pass --allow-delete)
///
/// Plan: 1 to create, 2 to change, 1 to delete, 1 refused.
/// ```
///
/// Only what differs is shown; each line starts with a marker (`+ ~ - ! ?`) so
/// CI logs can be grepped. Lines are ordered as the plan applies them.
public enum TopicPlanRenderer {
    /// The diff, one change per line, ending with a summary line and a newline.
    public static func render(_ plan: TopicPlan) -> String {
        var lines: [String] = []
        for action in plan.actions {
            switch action {
            case .create(let topic, let partitions, let replicationFactor, let configs):
                lines.append("+ create \(topic): \(partitions) partition\(partitions == 1 ? "" : "s"), replication factor \(replicationFactor)")
                for name in configs.keys.sorted() {
                    lines.append("    \(name) = \(configs[name]!)")
                }
            case .alterConfigs(let topic, let changes):
                for change in changes {
                    lines.append("~ \(topic): \(change.name) \(change.oldValue ?? "(unset)") → \(change.newValue)")
                }
            case .addPartitions(let topic, let from, let to):
                lines.append("~ \(topic): partitions \(from) → \(to)")
            case .deleteUndeclared(let topic):
                lines.append("- delete \(topic) (not declared)")
            }
        }
        for refusal in plan.refusals {
            lines.append("! refused: \(refusal.topic): \(refusal.message)")
        }
        for notice in plan.notices {
            switch notice {
            case .undeclaredTopic(let name, let immutable):
                lines.append(immutable
                    ? "? undeclared topic \(name) (immutable; never deleted)"
                    : "? undeclared topic \(name) (not deleted; pass --allow-delete)")
            case .unmanagedConfig(let topic, let name, let value):
                lines.append("? \(topic): \(name) = \(value) is set on the cluster but not declared (left as is)")
            }
        }
        if !lines.isEmpty { lines.append("") }
        lines.append(summary(plan))
        return lines.joined(separator: "\n") + "\n"
    }

    /// The last line: counts of creations, changes, deletions and refusals, or
    /// that nothing would change.
    public static func summary(_ plan: TopicPlan) -> String {
        var creates = 0, deletes = 0
        var changed = Set<String>()
        for action in plan.actions {
            switch action {
            case .create: creates += 1
            case .deleteUndeclared: deletes += 1
            case .alterConfigs(let topic, _), .addPartitions(let topic, _, _): changed.insert(topic)
            }
        }
        switch plan.outcome {
        case .upToDate:
            return "No changes: the cluster matches the topics file."
        case .changesPending:
            return "Plan: \(creates) to create, \(changed.count) to change, \(deletes) to delete."
        case .refused:
            return "Plan refused: \(plan.refusals.count) change\(plan.refusals.count == 1 ? "" : "s") cannot be made "
                + "(\(creates) to create, \(changed.count) to change, \(deletes) to delete; nothing will be applied)."
        }
    }
}
