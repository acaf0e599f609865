import Testing
@testable import TopicPolicy

@Suite struct KafkaConfigsTests {
    @Test func minimalTopicGetsKafkaDefaultsAndOnlyRequiredKeys() throws {
        let file = try TopicsFile.parse(yaml: "topics:\n  orders:\n    partitions: 3\n", fileName: "topics.yaml")
        let topic = try #require(file.topics.first)
        #expect(topic.cleanupPolicy == [.delete])
        #expect(topic.compression == .producer)
        #expect(topic.kafkaConfigs == [
            "cleanup.policy": "delete",
            "retention.ms": "604800000",
            "compression.type": "producer",
            "min.insync.replicas": "1",
        ])
    }

    @Test func everyTypedKeyMapsToItsKafkaConfig() throws {
        let file = try TopicsFile.parse(yaml: """
            defaults:
              replication_factor: 3
              min_insync_replicas: 2
            topics:
              accounts:
                partitions: 6
                cleanup_policy: [delete, compact]
                retention: infinite
                retention_bytes: 1GiB
                segment: 1h
                segment_bytes: 256MiB
                compression: zstd
                max_message_bytes: 1MiB
                delete_retention: 1d
                min_compaction_lag: 10m
                configs:
                  message.timestamp.type: LogAppendTime
                  unclean.leader.election.enable: false
            """, fileName: "topics.yaml")
        let topic = try #require(file.topics.first)
        #expect(topic.replicationFactor == 3)
        #expect(topic.cleanupPolicy == [.compact, .delete])
        #expect(topic.kafkaConfigs == [
            "cleanup.policy": "compact,delete",
            "retention.ms": "-1",
            "retention.bytes": "1073741824",
            "segment.ms": "3600000",
            "segment.bytes": "268435456",
            "compression.type": "zstd",
            "max.message.bytes": "1048576",
            "min.insync.replicas": "2",
            "delete.retention.ms": "86400000",
            "min.compaction.lag.ms": "600000",
            "message.timestamp.type": "LogAppendTime",
            "unclean.leader.election.enable": "false",
        ])
    }

    @Test(arguments: [
        ("delete", [CleanupPolicy.delete]),
        ("compact", [.compact]),
        ("compact,delete", [.compact, .delete]),
        ("[compact]", [.compact]),
        ("[delete, compact]", [.compact, .delete]),
    ])
    func cleanupPolicySpellings(yaml: String, expected: [CleanupPolicy]) throws {
        let file = try TopicsFile.parse(
            yaml: "topics:\n  t:\n    partitions: 1\n    cleanup_policy: \(yaml)\n", fileName: "topics.yaml")
        #expect(file.topics.first?.cleanupPolicy == expected)
    }

    @Test func topicOverridesDefaults() throws {
        let file = try TopicsFile.parse(yaml: """
            defaults:
              replication_factor: 3
              min_insync_replicas: 2
            topics:
              a:
                partitions: 1
              b:
                partitions: 1
                min_insync_replicas: 3
            """, fileName: "topics.yaml")
        #expect(file.topics.map(\.minInsyncReplicas) == [2, 3])
        #expect(file.topics.map(\.kafkaConfigs["min.insync.replicas"]) == ["2", "3"])
    }
}
