/// One change a ``TopicPlan`` makes to a cluster, in the order it must be applied.
public enum TopicAction: Sendable, Hashable {
    /// Create a declared topic that the cluster lacks, with all its declared configs.
    case create(topic: String, partitions: Int, replicationFactor: Int, configs: [String: String])
    /// Set configs whose cluster value differs from the declared one.
    case alterConfigs(topic: String, changes: [ConfigChange])
    /// Grow a topic from `from` to `to` partitions (Kafka can only add partitions).
    case addPartitions(topic: String, from: Int, to: Int)
    /// Delete a topic the file does not declare; planned only with `allowDelete`.
    case deleteUndeclared(topic: String)

    /// The topic the action concerns.
    public var topic: String {
        switch self {
        case .create(let topic, _, _, _), .alterConfigs(let topic, _),
             .addPartitions(let topic, _, _), .deleteUndeclared(let topic):
            topic
        }
    }
}
