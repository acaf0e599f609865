/// The `defaults:` section: values every topic inherits unless it sets its own.
public struct TopicDefaults: Sendable, Hashable {
    /// Replication factor for topics that do not set `replication_factor`.
    public var replicationFactor: Int
    /// `min.insync.replicas` for topics that do not set `min_insync_replicas`.
    public var minInsyncReplicas: Int

    /// The values used when the file has no `defaults:` section: 1 and 1,
    /// which suit the single-node broker. Real clusters declare 3 and 2.
    public static let singleNode = TopicDefaults(replicationFactor: 1, minInsyncReplicas: 1)

    /// Creates defaults.
    public init(replicationFactor: Int, minInsyncReplicas: Int) {
        self.replicationFactor = replicationFactor
        self.minInsyncReplicas = minInsyncReplicas
    }
}
