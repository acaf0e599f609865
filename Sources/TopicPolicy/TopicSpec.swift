/// One declared topic: its Kafka configuration and the compliance policy the
/// broker enforces on it.
///
/// Durations are milliseconds and sizes are bytes, already converted from the
/// file's `7y` / `10MiB` notation. Optional properties are `nil` when the file
/// does not set them, so the cluster's default applies and ``kafkaConfigs``
/// leaves the key out.
public struct TopicSpec: Sendable, Hashable {
    /// The topic name (the key under `topics:`).
    public var name: String
    /// Number of partitions, at least 1.
    public var partitions: Int
    /// Replication factor: the topic's own `replication_factor`, else the file's default.
    public var replicationFactor: Int
    /// Cleanup policies in canonical order: `[.delete]`, `[.compact]` or `[.compact, .delete]`.
    public var cleanupPolicy: [CleanupPolicy]
    /// `retention.ms`; `-1` means keep forever (`retention: infinite`).
    /// Kafka's default of 7 days when the file does not set `retention`.
    public var retentionMs: Int64
    /// `retention.bytes` per partition; `-1` means unlimited.
    public var retentionBytes: Int64?
    /// `segment.ms`: how long a segment stays active before it rolls.
    public var segmentMs: Int64?
    /// `segment.bytes`: segment size at which it rolls.
    public var segmentBytes: Int64?
    /// `compression.type`; `.producer` (Kafka's default) when not declared.
    public var compression: CompressionType
    /// `max.message.bytes`: largest record batch the topic accepts.
    public var maxMessageBytes: Int64?
    /// `min.insync.replicas`: the topic's own value, else the file's default.
    public var minInsyncReplicas: Int
    /// `delete.retention.ms`: how long compaction tombstones stay readable.
    public var deleteRetentionMs: Int64?
    /// `min.compaction.lag.ms`: minimum age before a record may be compacted away.
    public var minCompactionLagMs: Int64?
    /// No topic delete, no retention decrease, no DeleteRecords.
    public var immutable: Bool
    /// Records get hash-chained audit leaves and signed checkpoints.
    public var audit: Bool
    /// Schemas governing the topic's keys and values, if declared.
    public var schema: SchemaSpec?
    /// The broker enforces expected-version appends of event streams (`event_store`).
    public var eventStore: Bool
    /// The lowest `retention.ms` this topic may ever have (`retention_floor`), if declared.
    /// The file is rejected when ``retentionMs`` is below it, and the broker refuses
    /// alterations below it.
    public var retentionFloorMs: Int64?
    /// Raw Kafka configs from the topic's `configs:` escape hatch, applied as given.
    /// They never overlap with the typed properties; validation rejects that.
    public var extraConfigs: [String: String]

    /// Creates a topic spec. Parameters mirror the properties; the defaults are
    /// the values a topic gets when the file leaves the key out.
    public init(
        name: String,
        partitions: Int,
        replicationFactor: Int = 1,
        cleanupPolicy: [CleanupPolicy] = [.delete],
        retentionMs: Int64 = TopicSpec.kafkaDefaultRetentionMs,
        retentionBytes: Int64? = nil,
        segmentMs: Int64? = nil,
        segmentBytes: Int64? = nil,
        compression: CompressionType = .producer,
        maxMessageBytes: Int64? = nil,
        minInsyncReplicas: Int = 1,
        deleteRetentionMs: Int64? = nil,
        minCompactionLagMs: Int64? = nil,
        immutable: Bool = false,
        audit: Bool = false,
        schema: SchemaSpec? = nil,
        retentionFloorMs: Int64? = nil,
        extraConfigs: [String: String] = [:],
        eventStore: Bool = false
    ) {
        self.name = name
        self.partitions = partitions
        self.replicationFactor = replicationFactor
        self.cleanupPolicy = cleanupPolicy
        self.retentionMs = retentionMs
        self.retentionBytes = retentionBytes
        self.segmentMs = segmentMs
        self.segmentBytes = segmentBytes
        self.compression = compression
        self.maxMessageBytes = maxMessageBytes
        self.minInsyncReplicas = minInsyncReplicas
        self.deleteRetentionMs = deleteRetentionMs
        self.minCompactionLagMs = minCompactionLagMs
        self.immutable = immutable
        self.audit = audit
        self.schema = schema
        self.retentionFloorMs = retentionFloorMs
        self.extraConfigs = extraConfigs
        self.eventStore = eventStore
    }

    /// Apache Kafka's default `retention.ms` (7 days), used when `retention` is not declared.
    public static let kafkaDefaultRetentionMs: Int64 = 7 * 24 * 60 * 60 * 1000

    /// Whether compaction applies (`compact` is among the cleanup policies).
    public var isCompacted: Bool { cleanupPolicy.contains(.compact) }

    /// The Apache Kafka topic configs this spec stands for, as a broker's
    /// CreateTopics/AlterConfigs or the reconciler applies them.
    ///
    /// Always contains `cleanup.policy` (comma-separated, e.g. `compact,delete`),
    /// `retention.ms`, `compression.type` and `min.insync.replicas`; the other
    /// typed keys only when declared; then every ``extraConfigs`` entry.
    /// Replication factor and the compliance flags are not topic configs and are
    /// not included.
    public var kafkaConfigs: [String: String] {
        var configs = extraConfigs
        configs[KafkaConfigKey.cleanupPolicy] = cleanupPolicy.map(\.rawValue).joined(separator: ",")
        configs[KafkaConfigKey.retentionMs] = String(retentionMs)
        configs[KafkaConfigKey.compressionType] = compression.rawValue
        configs[KafkaConfigKey.minInsyncReplicas] = String(minInsyncReplicas)
        configs[KafkaConfigKey.retentionBytes] = retentionBytes.map { String($0) }
        configs[KafkaConfigKey.segmentMs] = segmentMs.map { String($0) }
        configs[KafkaConfigKey.segmentBytes] = segmentBytes.map { String($0) }
        configs[KafkaConfigKey.maxMessageBytes] = maxMessageBytes.map { String($0) }
        configs[KafkaConfigKey.deleteRetentionMs] = deleteRetentionMs.map { String($0) }
        configs[KafkaConfigKey.minCompactionLagMs] = minCompactionLagMs.map { String($0) }
        return configs
    }
}
