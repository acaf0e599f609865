/// Per-partition log settings, persisted as `log-config.json` in the partition directory so a
/// restart reopens the log with the settings it was created with.
///
/// Names follow Kafka's topic configs (`segment.bytes`, `segment.ms`, `index.interval.bytes`,
/// `max.message.bytes`, `retention.ms`, `retention.bytes`, `cleanup.policy`, `delete.retention.ms`,
/// `min.compaction.lag.ms`); ``init(topicConfigs:)`` maps a topic's config map onto it. Configs the
/// log does not interpret (for example `compression.type`) can be kept in ``overrides`` so the
/// broker finds them again after a restart.
///
/// Every setting is read when it is used (append, each cleaner pass), so a config replaced with
/// ``PartitionLog/updateConfig(_:)`` takes effect from the next append or cleaner pass.
public struct LogConfig: Sendable, Equatable, Codable {
    /// Roll to a new segment before the active one would grow past this size. Default 1 GiB.
    public var segmentBytes: Int
    /// Roll to a new segment when the active one is older than this. Default 7 days.
    public var segmentMs: Int64
    /// Bytes of batches between two sparse index entries. Default 4096.
    public var indexIntervalBytes: Int
    /// Largest batch (header included) an append accepts. Default 1 MiB + 12 bytes, Kafka's.
    public var maxMessageBytes: Int
    /// Segments whose newest batch is older than this are deleted by retention; nil keeps forever.
    public var retentionMs: Int64?
    /// Oldest segments are deleted by retention while the log is larger than this; nil means unlimited.
    public var retentionBytes: Int64?
    /// What the log cleaner does: delete old segments, compact by key, or both. Default delete.
    public var cleanupPolicy: CleanupPolicy
    /// Compaction keeps a tombstone (a record with a null value) at least this long after its
    /// timestamp, so consumers that read the log from the start see the deletion. Default 1 day.
    public var deleteRetentionMs: Int64
    /// Compaction leaves a segment alone until its newest record is at least this old. Default 0.
    public var minCompactionLagMs: Int64
    /// Other topic configs, stored verbatim for the broker.
    public var overrides: [String: String]

    public static let defaultSegmentBytes = 1 << 30
    public static let defaultSegmentMs: Int64 = 7 * 24 * 60 * 60 * 1000
    public static let defaultIndexIntervalBytes = 4096
    public static let defaultMaxMessageBytes = 1_048_588
    public static let defaultDeleteRetentionMs: Int64 = 24 * 60 * 60 * 1000

    public init(
        segmentBytes: Int = LogConfig.defaultSegmentBytes,
        segmentMs: Int64 = LogConfig.defaultSegmentMs,
        indexIntervalBytes: Int = LogConfig.defaultIndexIntervalBytes,
        maxMessageBytes: Int = LogConfig.defaultMaxMessageBytes,
        retentionMs: Int64? = nil,
        retentionBytes: Int64? = nil,
        cleanupPolicy: CleanupPolicy = .delete,
        deleteRetentionMs: Int64 = LogConfig.defaultDeleteRetentionMs,
        minCompactionLagMs: Int64 = 0,
        overrides: [String: String] = [:]
    ) {
        self.segmentBytes = segmentBytes
        self.segmentMs = segmentMs
        self.indexIntervalBytes = indexIntervalBytes
        self.maxMessageBytes = maxMessageBytes
        self.retentionMs = retentionMs
        self.retentionBytes = retentionBytes
        self.cleanupPolicy = cleanupPolicy
        self.deleteRetentionMs = deleteRetentionMs
        self.minCompactionLagMs = minCompactionLagMs
        self.overrides = overrides
    }

    /// Throws ``LogStoreError/invalidConfig(_:)`` when a value is outside what the log can store.
    ///
    /// Index entries hold 32-bit file positions, so a segment must stay below 2 GiB, as in Kafka.
    public func validate() throws {
        guard segmentBytes >= 14, segmentBytes <= Int(Int32.max) else {
            throw LogStoreError.invalidConfig("segmentBytes \(segmentBytes) not in 14...\(Int32.max)")
        }
        guard segmentMs >= 1 else { throw LogStoreError.invalidConfig("segmentMs \(segmentMs) < 1") }
        guard indexIntervalBytes >= 0 else {
            throw LogStoreError.invalidConfig("indexIntervalBytes \(indexIntervalBytes) < 0")
        }
        guard maxMessageBytes >= 0, maxMessageBytes <= Int(Int32.max) else {
            throw LogStoreError.invalidConfig("maxMessageBytes \(maxMessageBytes) not in 0...\(Int32.max)")
        }
        guard deleteRetentionMs >= 0 else { throw LogStoreError.invalidConfig("deleteRetentionMs \(deleteRetentionMs) < 0") }
        guard minCompactionLagMs >= 0 else { throw LogStoreError.invalidConfig("minCompactionLagMs \(minCompactionLagMs) < 0") }
    }

    private enum CodingKeys: String, CodingKey {
        case segmentBytes, segmentMs, indexIntervalBytes, maxMessageBytes, retentionMs, retentionBytes
        case cleanupPolicy, deleteRetentionMs, minCompactionLagMs, overrides
    }

    /// Missing keys take their defaults, so files written by older versions still load.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        segmentBytes = try c.decodeIfPresent(Int.self, forKey: .segmentBytes) ?? Self.defaultSegmentBytes
        segmentMs = try c.decodeIfPresent(Int64.self, forKey: .segmentMs) ?? Self.defaultSegmentMs
        indexIntervalBytes = try c.decodeIfPresent(Int.self, forKey: .indexIntervalBytes) ?? Self.defaultIndexIntervalBytes
        maxMessageBytes = try c.decodeIfPresent(Int.self, forKey: .maxMessageBytes) ?? Self.defaultMaxMessageBytes
        retentionMs = try c.decodeIfPresent(Int64.self, forKey: .retentionMs)
        retentionBytes = try c.decodeIfPresent(Int64.self, forKey: .retentionBytes)
        cleanupPolicy = try c.decodeIfPresent(CleanupPolicy.self, forKey: .cleanupPolicy) ?? .delete
        deleteRetentionMs = try c.decodeIfPresent(Int64.self, forKey: .deleteRetentionMs) ?? Self.defaultDeleteRetentionMs
        minCompactionLagMs = try c.decodeIfPresent(Int64.self, forKey: .minCompactionLagMs) ?? 0
        overrides = try c.decodeIfPresent([String: String].self, forKey: .overrides) ?? [:]
    }
}
