/// The brokers, topics and partitions of a cluster, from ``KafkaAdmin/metadata()``.
public struct KafkaClusterMetadata: Sendable, Hashable {
    public struct Broker: Sendable, Hashable {
        public var id: Int32
        public var host: String
        public var port: Int32
    }

    public struct Partition: Sendable, Hashable {
        public var id: Int32
        /// The leader's broker id, -1 when there is none.
        public var leader: Int32
        public var replicas: [Int32]
        public var inSyncReplicas: [Int32]
        /// Set when the broker reported an error for this partition.
        public var error: KafkaError?
    }

    public struct Topic: Sendable, Hashable {
        public var name: String
        public var partitions: [Partition]
        /// Set when the broker reported an error for this topic (e.g. UNKNOWN_TOPIC_OR_PARTITION).
        public var error: KafkaError?
    }

    public var brokers: [Broker]
    public var topics: [Topic]
    /// The broker that answered.
    public var originatingBrokerID: Int32

    /// `host:port` of every broker, usable as `bootstrapServers`.
    public var bootstrapServers: [String] { brokers.map { "\($0.host):\($0.port)" } }

    /// The topic with this name, if the cluster has it.
    public func topic(_ name: String) -> Topic? { topics.first { $0.name == name } }
}
