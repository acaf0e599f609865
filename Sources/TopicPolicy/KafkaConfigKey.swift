/// Names of the Apache Kafka topic configs that ``TopicSpec`` models with typed properties.
public enum KafkaConfigKey {
    public static let cleanupPolicy = "cleanup.policy"
    public static let retentionMs = "retention.ms"
    public static let retentionBytes = "retention.bytes"
    public static let segmentMs = "segment.ms"
    public static let segmentBytes = "segment.bytes"
    public static let compressionType = "compression.type"
    public static let maxMessageBytes = "max.message.bytes"
    public static let minInsyncReplicas = "min.insync.replicas"
    public static let deleteRetentionMs = "delete.retention.ms"
    public static let minCompactionLagMs = "min.compaction.lag.ms"

    /// Each typed config with the topics.yaml key that sets it. The `configs:`
    /// escape hatch may not set these: a raw `retention.ms` would bypass the
    /// retention floor check and make the file say two things at once.
    public static let typedKeys: [String: String] = [
        cleanupPolicy: "cleanup_policy",
        retentionMs: "retention",
        retentionBytes: "retention_bytes",
        segmentMs: "segment",
        segmentBytes: "segment_bytes",
        compressionType: "compression",
        maxMessageBytes: "max_message_bytes",
        minInsyncReplicas: "min_insync_replicas",
        deleteRetentionMs: "delete_retention",
        minCompactionLagMs: "min_compaction_lag",
    ]
}
