/// A topic to create with ``KafkaAdmin/createTopics(_:)``.
public struct KafkaNewTopic: Sendable, Hashable {
    public var name: String
    public var partitions: Int32
    /// Copies of each partition; `nil` uses the broker's `default.replication.factor`.
    public var replicationFactor: Int32?
    /// Topic configuration, for example `["retention.ms": "-1", "cleanup.policy": "compact"]`.
    public var configs: [String: String]

    public init(name: String, partitions: Int32 = 1, replicationFactor: Int32? = nil, configs: [String: String] = [:]) {
        self.name = name
        self.partitions = partitions
        self.replicationFactor = replicationFactor
        self.configs = configs
    }
}
