/// A snapshot of a Kafka cluster's topics, as the reconciler compares it with topics.yaml.
public struct ClusterState: Sendable, Hashable {
    /// Every topic the cluster has, internal ones included (the planner skips those).
    public var topics: [ClusterTopicState]
    /// How many brokers the cluster has; a replication factor above it cannot be created.
    /// `nil` when unknown, which skips that check.
    public var brokerCount: Int?
    /// Whether the cluster knows the `compliancelog.*` policy configs (it is an `eventd`).
    ///
    /// Only then does a plan create or alter them: stock Kafka refuses unknown configs.
    public var supportsPolicyConfigs: Bool

    /// Creates a cluster snapshot.
    public init(topics: [ClusterTopicState], brokerCount: Int? = nil, supportsPolicyConfigs: Bool = false) {
        self.topics = topics
        self.brokerCount = brokerCount
        self.supportsPolicyConfigs = supportsPolicyConfigs
    }

    /// The topic with this name, if the cluster has it.
    public func topic(named name: String) -> ClusterTopicState? {
        topics.first { $0.name == name }
    }

    /// Whether the reconciler leaves `name` alone: Kafka's internal topics
    /// (`__consumer_offsets`, `__transaction_state`, eventd's `__audit`, …) and the
    /// schema registry's `_schemas` belong to the brokers and registries that own them;
    /// `saga-state` to the saga orchestrators (DESIGN.md's internal topics).
    public static func isInternal(_ name: String) -> Bool {
        name.hasPrefix("__") || name == "_schemas" || name == "saga-state"
    }
}
