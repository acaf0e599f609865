/// What it takes to make a cluster match topics.yaml: the output of ``TopicPlanner``.
///
/// `eventctl topics plan` maps it to its exit code with ``outcome``:
/// refusals win over actions, and notices never count.
public struct TopicPlan: Sendable, Hashable {
    /// What a plan means for CI, in the order of precedence.
    public enum Outcome: Sendable, Hashable {
        /// The cluster matches the file (exit 0).
        case upToDate
        /// ``actions`` would change the cluster (exit 2).
        case changesPending
        /// Some declared change is impossible or forbidden (exit 1); nothing is applied.
        case refused
    }

    /// The changes to make, in order: per declared topic (file order) its creation
    /// or its config changes then partition increase; deletions last.
    public var actions: [TopicAction]
    /// Differences that will not be resolved; any of them makes the plan fail.
    public var refusals: [PlanRefusal]
    /// Reported differences that are deliberately left alone.
    public var notices: [PlanNotice]

    /// Creates a plan.
    public init(actions: [TopicAction] = [], refusals: [PlanRefusal] = [], notices: [PlanNotice] = []) {
        self.actions = actions
        self.refusals = refusals
        self.notices = notices
    }

    /// Whether the plan is up to date, has changes pending, or is refused.
    public var outcome: Outcome {
        if !refusals.isEmpty { return .refused }
        return actions.isEmpty ? .upToDate : .changesPending
    }
}
