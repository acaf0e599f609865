import Foundation
import Testing
@testable import Kafka

extension KafkaTests {
    @Suite struct Admin {
        @Test func topicLifecycleOnEventd() async throws {
            try await withCluster(.eventd) { cluster in
                let admin = cluster.admin
                let topic = uniqueName("admin")
                try await admin.createTopic(topic, partitions: 2, configs: ["retention.ms": "3600000", "cleanup.policy": "delete"])

                var metadata = try await admin.metadata()
                #expect(metadata.brokers.count == 1)
                #expect(metadata.bootstrapServers == cluster.bootstrapServers)
                #expect(metadata.topic(topic)?.partitions.count == 2)
                #expect(metadata.topic(topic)?.partitions.allSatisfy { $0.leader == metadata.brokers[0].id } == true)

                var configs = try await admin.describeTopicConfig(topic)
                #expect(configs.first { $0.name == "retention.ms" }?.value == "3600000")

                try await admin.alterTopicConfig(topic, set: ["max.message.bytes": "2097152"])
                configs = try await admin.describeTopicConfig(topic)
                #expect(configs.first { $0.name == "max.message.bytes" }?.value == "2097152")
                // The earlier override survives the (non-incremental) AlterConfigs.
                #expect(configs.first { $0.name == "retention.ms" }?.value == "3600000")

                try await admin.createPartitions(topic: topic, totalCount: 4)
                metadata = try await admin.metadata()
                #expect(metadata.topic(topic)?.partitions.count == 4)

                await #expect(throws: KafkaError.self) { try await admin.createTopic(topic) }
                do {
                    try await admin.createTopic(topic)
                } catch let error as KafkaError {
                    #expect(error.name == "TOPIC_ALREADY_EXISTS")
                    #expect(error.code == 36)
                }

                try await admin.deleteTopics([topic])
                metadata = try await admin.metadata()
                #expect(metadata.topic(topic) == nil)
            }
        }

        @Test func metadataOfTheMockCluster() async throws {
            try await withCluster(.mock) { cluster in
                let topic = uniqueName("mock-meta")
                try await cluster.createTopic(topic, partitions: 4)
                let metadata = try await cluster.admin.metadata()
                #expect(metadata.brokers.count == 3)
                #expect(Set(metadata.bootstrapServers) == Set(cluster.bootstrapServers))
                let partitions = try #require(metadata.topic(topic)?.partitions)
                #expect(partitions.count == 4)
                #expect(partitions.allSatisfy { $0.replicas.count == 3 && $0.leader >= 1 })
                // A client created without the mock property works against the mock's listeners.
                let plain = try KafkaAdmin(configuration: .init(bootstrapServers: cluster.bootstrapServers), logger: quietLogger)
                #expect(try await plain.metadata().brokers.count == 3)
                await plain.shutdown()
            }
        }

        /// librdkafka 2.0.2's mock brokers implement no admin APIs (CreateTopics, DeleteTopics,
        /// CreatePartitions, DescribeConfigs, AlterConfigs; see rdkafka_mock_handlers.c). This
        /// records that limitation: the calls must fail with a KafkaError, not hang or crash.
        /// The same operations are covered against eventd in `topicLifecycleOnEventd`.
        @Test func mockClusterLacksTopicAdminApisIn2_0_2() async throws {
            try await withCluster(.mock) { cluster in
                var configuration = KafkaAdminConfiguration(bootstrapServers: cluster.bootstrapServers)
                configuration.requestTimeout = .seconds(3)
                let admin = try KafkaAdmin(configuration: configuration, logger: quietLogger)
                let topic = uniqueName("mock-admin")
                try await cluster.createTopic(topic, partitions: 1)
                let operations: [(String, @Sendable () async throws -> Void)] = [
                    ("createTopics", { try await admin.createTopic(uniqueName("new")) }),
                    ("deleteTopics", { try await admin.deleteTopics([topic]) }),
                    ("createPartitions", { try await admin.createPartitions(topic: topic, totalCount: 2) }),
                    ("describeTopicConfig", { _ = try await admin.describeTopicConfig(topic) }),
                    ("alterTopicConfig", { try await admin.alterTopicConfig(topic, set: ["retention.ms": "1"]) }),
                ]
                for (name, operation) in operations {
                    do {
                        try await operation()
                        Issue.record("\(name) unexpectedly succeeded on the 2.0.2 mock cluster")
                    } catch let error as KafkaError {
                        print("mock cluster \(name): \(error.name) (\(error.code)) \(error.message)")
                    }
                }
                await admin.shutdown()
            }
        }
    }
}
