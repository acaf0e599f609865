/// What a Kafka cluster reports about one topic: the input of ``TopicPlanner``
/// next to the declared ``TopicsFile``.
///
/// Built by the caller from Metadata and DescribeConfigs answers, so the
/// planner itself does no I/O and can be tested without a cluster.
public struct ClusterTopicState: Sendable, Hashable {
    /// The topic name.
    public var name: String
    /// Number of partitions the cluster has for the topic.
    public var partitions: Int
    /// Replicas per partition (the first partition's replica count).
    public var replicationFactor: Int
    /// Effective value of every config the cluster reported, defaults included.
    ///
    /// Declared values are compared against these, so a declared value that
    /// equals the cluster default is not a change even though the topic does
    /// not override it.
    public var configs: [String: String]
    /// Names of the configs set on the topic itself (DescribeConfigs reports them
    /// as not default). Overrides the file does not declare are reported, not reset.
    public var overriddenConfigs: Set<String>

    /// Creates a topic state. `overriddenConfigs` defaults to every key of `configs`.
    public init(
        name: String, partitions: Int, replicationFactor: Int,
        configs: [String: String] = [:], overriddenConfigs: Set<String>? = nil
    ) {
        self.name = name
        self.partitions = partitions
        self.replicationFactor = replicationFactor
        self.configs = configs
        self.overriddenConfigs = overriddenConfigs ?? Set(configs.keys)
    }

    /// Whether the cluster enforces immutability on this topic (`compliancelog.immutable=true`).
    public var isImmutable: Bool { configs[PolicyConfigKey.immutable] == "true" }
}
