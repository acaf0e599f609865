import Kafka
import Logging

/// Creates the topics sagas and participants need when the cluster lacks them, and tells
/// their partition counts.
struct TopicProvisioner {
    let admin: KafkaAdmin

    /// A topic to make sure of: its name, and the partitions and configs it gets when created.
    typealias Spec = (name: String, partitions: Int32, configs: [String: String])

    /// Opens an admin client, makes sure every topic in `topics` exists, and closes the client
    /// again (also on failure); returns the topics' partition counts, in order.
    static func ensure(_ topics: [Spec], bootstrapServers: [String], logger: Logger) async throws -> [Int32] {
        let admin = try KafkaAdmin(configuration: KafkaAdminConfiguration(bootstrapServers: bootstrapServers), logger: logger)
        let provisioner = TopicProvisioner(admin: admin)
        var partitionCounts: [Int32] = []
        do {
            for topic in topics {
                partitionCounts.append(try await provisioner.ensure(topic.name, partitions: topic.partitions, configs: topic.configs))
            }
        } catch {
            await admin.shutdown()
            throw error
        }
        await admin.shutdown()
        return partitionCounts
    }

    /// Makes sure `topic` exists; returns its partition count.
    func ensure(_ topic: String, partitions: Int32, configs: [String: String]) async throws -> Int32 {
        if let existing = try await admin.metadata().topic(topic), existing.error == nil, !existing.partitions.isEmpty {
            return Int32(existing.partitions.count)
        }
        do {
            try await admin.createTopic(topic, partitions: partitions, configs: configs)
        } catch let error as KafkaError where error.name == "TOPIC_ALREADY_EXISTS" {
            // Created by someone else meanwhile (another participant, the broker at start).
        }
        // Metadata can lag a creation by a moment.
        for _ in 0..<50 {
            if let created = try await admin.metadata().topic(topic), created.error == nil, !created.partitions.isEmpty {
                return Int32(created.partitions.count)
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw KafkaError(code: 3, message: "topic \(topic) does not appear after creating it")
    }
}
