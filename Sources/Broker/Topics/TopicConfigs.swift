import LogStore

/// Topic-level configs: Apache Kafka's names, defaults and value checks.
enum TopicConfigs {
    /// Broker defaults reported by DescribeConfigs for configs a topic does not override.
    static let defaults: [String: String] = TopicPolicyGuard.defaults
        .merging(kafkaDefaults) { a, _ in a }
        .merging([SchemaValidation.valueConfig: "false", SchemaValidation.keyConfig: "false"]) { a, _ in a }
        .merging([ExpectedVersionGuard.configKey: "false"]) { a, _ in a }

    private static let kafkaDefaults: [String: String] = [
        "cleanup.policy": "delete",
        "compression.type": "producer",
        "delete.retention.ms": "86400000",
        "max.message.bytes": "1048588",
        "message.timestamp.type": "CreateTime",
        "min.compaction.lag.ms": "0",
        "min.insync.replicas": "1",
        "retention.bytes": "-1",
        "retention.ms": "604800000",
        "segment.bytes": "1073741824",
        "segment.ms": "604800000",
        "segment.index.bytes": "10485760",
        "index.interval.bytes": "4096",
        "unclean.leader.election.enable": "false",
        "file.delete.delay.ms": "60000",
        "flush.messages": "9223372036854775807",
        "flush.ms": "9223372036854775807",
        "max.compaction.lag.ms": "9223372036854775807",
        "message.timestamp.difference.max.ms": "9223372036854775807",
        "min.cleanable.dirty.ratio": "0.5",
        "preallocate": "false",
        "segment.jitter.ms": "0",
    ]

    /// Checks names and values; returns a message for the first problem.
    static func validate(_ configs: [String: String]) -> String? {
        for (name, value) in configs.sorted(by: { $0.key < $1.key }) {
            guard defaults[name] != nil else { return "unknown topic config '\(name)'" }
            switch name {
            case "cleanup.policy":
                let parts = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                if parts.isEmpty || !parts.allSatisfy({ $0 == "delete" || $0 == "compact" }) {
                    return "invalid value '\(value)' for cleanup.policy: expected delete, compact or compact,delete"
                }
            case "compression.type":
                if !["producer", "none", "uncompressed", "gzip", "snappy", "lz4", "zstd"].contains(value) {
                    return "invalid value '\(value)' for compression.type"
                }
            case "message.timestamp.type":
                if value != "CreateTime" && value != "LogAppendTime" { return "invalid value '\(value)' for message.timestamp.type" }
            case "min.cleanable.dirty.ratio":
                if Double(value).map({ $0 < 0 || $0 > 1 }) ?? true { return "invalid value '\(value)' for \(name): expected a number from 0 to 1" }
            case "unclean.leader.election.enable", "preallocate", TopicPolicyGuard.immutable, TopicPolicyGuard.audit,
                 SchemaValidation.valueConfig, SchemaValidation.keyConfig, ExpectedVersionGuard.configKey:
                if value != "true" && value != "false" { return "invalid value '\(value)' for \(name)" }
            default:
                guard let number = Int64(value) else { return "invalid value '\(value)' for \(name): expected an integer" }
                if number < -1 { return "invalid value '\(value)' for \(name)" }
            }
        }
        return nil
    }

    static func effective(_ configs: [String: String], _ name: String) -> String? {
        configs[name] ?? defaults[name]
    }

    static func logConfig(_ configs: [String: String]) throws -> LogConfig {
        try LogConfig(topicConfigs: configs)
    }
}

import Foundation
