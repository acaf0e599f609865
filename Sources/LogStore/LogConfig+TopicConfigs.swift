import Foundation

extension LogConfig {
    /// Kafka's default `retention.ms` (7 days), used when a topic config map does not set it.
    public static let kafkaDefaultRetentionMs: Int64 = 7 * 24 * 60 * 60 * 1000

    /// The topic configs this type interprets; anything else goes to ``overrides``.
    public static let interpretedTopicConfigs: Set<String> = [
        "cleanup.policy", "retention.ms", "retention.bytes", "segment.ms", "segment.bytes",
        "delete.retention.ms", "min.compaction.lag.ms", "max.message.bytes", "index.interval.bytes",
    ]

    /// Builds the log settings from a topic's config map, with Kafka's names and semantics, so the
    /// broker can pass a topic's configs straight through (at creation and on AlterConfigs, via
    /// ``PartitionLog/updateConfig(_:)``).
    ///
    /// Missing names take Kafka's defaults, the same ones DescribeConfigs reports: notably
    /// `retention.ms` is 7 days and `cleanup.policy` is `delete`. `-1` for `retention.ms` or
    /// `retention.bytes` means unlimited (nil). Configs not listed in ``interpretedTopicConfigs``
    /// are kept verbatim in ``overrides``.
    ///
    /// - Throws: ``LogStoreError/invalidConfig(_:)`` for a value that does not parse or is out of
    ///   range (the broker validates first, so this guards the store itself).
    public init(topicConfigs: [String: String]) throws {
        func integer(_ name: String) throws -> Int64? {
            guard let text = topicConfigs[name] else { return nil }
            guard let value = Int64(text.trimmingCharacters(in: .whitespaces)) else {
                throw LogStoreError.invalidConfig("\(name) '\(text)' is not an integer")
            }
            return value
        }
        func int(_ name: String) throws -> Int? {
            guard let value = try integer(name) else { return nil }
            guard let narrowed = Int(exactly: value) else { throw LogStoreError.invalidConfig("\(name) \(value) out of range") }
            return narrowed
        }
        /// -1 (or any negative) is Kafka's "unlimited".
        func limit(_ name: String, default defaultValue: Int64?) throws -> Int64? {
            guard let value = try integer(name) else { return defaultValue }
            return value < 0 ? nil : value
        }

        var policy = CleanupPolicy.delete
        if let text = topicConfigs["cleanup.policy"] {
            guard let parsed = CleanupPolicy(kafkaValue: text) else {
                throw LogStoreError.invalidConfig("cleanup.policy '\(text)': expected delete, compact or compact,delete")
            }
            policy = parsed
        }
        self.init(
            segmentBytes: try int("segment.bytes") ?? Self.defaultSegmentBytes,
            segmentMs: try integer("segment.ms") ?? Self.defaultSegmentMs,
            indexIntervalBytes: try int("index.interval.bytes") ?? Self.defaultIndexIntervalBytes,
            maxMessageBytes: try int("max.message.bytes") ?? Self.defaultMaxMessageBytes,
            retentionMs: try limit("retention.ms", default: Self.kafkaDefaultRetentionMs),
            retentionBytes: try limit("retention.bytes", default: nil),
            cleanupPolicy: policy,
            deleteRetentionMs: try integer("delete.retention.ms") ?? Self.defaultDeleteRetentionMs,
            minCompactionLagMs: try integer("min.compaction.lag.ms") ?? 0,
            overrides: topicConfigs.filter { !Self.interpretedTopicConfigs.contains($0.key) })
        try validate()
    }
}
