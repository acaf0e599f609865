import Kafka
import Logging

/// Creates the topics sagas and participants need when the cluster lacks them, and tells
/// their partition counts.
struct TopicProvisioner {
    let admin: KafkaAdmin

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
