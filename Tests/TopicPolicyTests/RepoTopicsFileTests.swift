import Foundation
import Testing
@testable import TopicPolicy

/// The repository's own topics.yaml must load and declare the seed's four topics
/// exactly as DESIGN.md lists them.
@Suite struct RepoTopicsFileTests {
    /// `<repo>/topics.yaml`, found from this file's path so the test does not
    /// depend on the working directory.
    static let path = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // TopicPolicyTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // repo root
        .appendingPathComponent("topics.yaml").path

    static let year: Int64 = 365 * 86_400_000
    static let day: Int64 = 86_400_000

    let file: TopicsFile

    init() throws {
        file = try TopicsFile.load(path: Self.path)
    }

    @Test func defaultsAreSingleNode() {
        #expect(file.defaults == TopicDefaults(replicationFactor: 1, minInsyncReplicas: 1))
    }

    @Test func declaresTheFourSeedTopicsInOrder() {
        #expect(file.topics.map(\.name) == ["payment-transactions", "compliance-events", "customer-events", "risk-assessments"])
    }

    @Test func paymentTransactions() throws {
        let topic = try #require(file.topic(named: "payment-transactions"))
        #expect(topic.partitions == 12)
        #expect(topic.cleanupPolicy == [.compact, .delete])
        #expect(topic.retentionMs == 7 * Self.year)
        #expect(topic.segmentMs == 7 * Self.day)
        #expect(topic.immutable)
        #expect(topic.audit)
        #expect(topic.schema == SchemaSpec(
            value: "schemas/payment-transaction.avsc", key: "schemas/payment-transaction-key.avsc",
            compatibility: .backward, keyRequired: true))
    }

    @Test func complianceEvents() throws {
        let topic = try #require(file.topic(named: "compliance-events"))
        #expect(topic.partitions == 6)
        #expect(topic.cleanupPolicy == [.delete])
        #expect(topic.retentionMs == 7 * Self.year)
        #expect(topic.segmentMs == Self.day)
        #expect(topic.immutable)
        #expect(topic.audit)
        #expect(topic.schema?.value == "schemas/compliance-event.avsc")
        #expect(topic.schema?.compatibility == .backward)
    }

    @Test func customerEvents() throws {
        let topic = try #require(file.topic(named: "customer-events"))
        #expect(topic.partitions == 18)
        #expect(topic.cleanupPolicy == [.compact])
        #expect(topic.retentionMs == 3 * Self.year)
        #expect(topic.segmentMs == 3_600_000)
        #expect(!topic.immutable)
        #expect(!topic.audit)
        #expect(topic.schema?.key == "schemas/customer-event-key.avsc")
        #expect(topic.schema?.compatibility == .backward)
    }

    @Test func riskAssessments() throws {
        let topic = try #require(file.topic(named: "risk-assessments"))
        #expect(topic.partitions == 6)
        #expect(topic.cleanupPolicy == [.delete])
        #expect(topic.retentionMs == 7 * Self.year)
        #expect(topic.segmentMs == Self.day)
        #expect(!topic.immutable)
        #expect(topic.audit)
        #expect(topic.schema?.value == "schemas/risk-assessment.avsc")
    }

    @Test func sharedSettings() {
        for topic in file.topics {
            #expect(topic.compression == .snappy, "\(topic.name)")
            #expect(topic.maxMessageBytes == Int64(10 * 1024 * 1024), "\(topic.name)")
            #expect(topic.replicationFactor == 1, "\(topic.name)")
            #expect(topic.minInsyncReplicas == 1, "\(topic.name)")
            #expect(topic.schema?.compatibility == .backward, "\(topic.name)")
        }
    }

    @Test func compactedTopicsHaveKeySchemas() {
        for topic in file.topics where topic.isCompacted {
            #expect(topic.schema?.key != nil, "\(topic.name)")
        }
    }

    @Test func schemaFilesAreAvroRecordsWithNamespaces() throws {
        let base = try #require(file.baseDirectory)
        for topic in file.topics {
            let schema = try #require(topic.schema)
            for path in [schema.value] + (schema.key.map { [$0] } ?? []) {
                let data = try Data(contentsOf: base.appendingPathComponent(path))
                let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any], "\(path)")
                #expect(json["type"] as? String == "record", "\(path)")
                #expect((json["namespace"] as? String)?.hasPrefix("com.compliancelog.") == true, "\(path)")
            }
        }
    }

    @Test func paymentTransactionsKafkaConfigs() throws {
        let topic = try #require(file.topic(named: "payment-transactions"))
        #expect(topic.kafkaConfigs == [
            "cleanup.policy": "compact,delete",
            "retention.ms": "220752000000",
            "segment.ms": "604800000",
            "compression.type": "snappy",
            "max.message.bytes": "10485760",
            "min.insync.replicas": "1",
        ])
    }
}
