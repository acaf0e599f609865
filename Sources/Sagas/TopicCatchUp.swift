import Foundation
import Kafka
import Logging

/// Reads every record a topic holds right now, on any Kafka cluster.
///
/// Kafka has no "read to the end" call, so this writes a marker record (a tombstone with a
/// unique key) to each partition and reads from the beginning until it meets every marker:
/// everything before a marker existed when reading began. Markers from earlier reads are
/// skipped; on compacted topics they are tombstones that cleaning removes.
enum TopicCatchUp {
    static let markerPrefix = "catch-up/"

    static func isMarker(_ key: [UInt8]?) -> Bool {
        guard let key else { return false }
        return key.starts(with: Array(markerPrefix.utf8))
    }

    static func read(
        topic: String, partitions: Int32, bootstrapServers: [String], producer: KafkaProducer, logger: Logger,
        _ body: (KafkaConsumerMessage) throws -> Void
    ) async throws {
        let marker = Array("\(markerPrefix)\(UUID().uuidString.lowercased())".utf8)
        var configuration = KafkaConsumerConfiguration(bootstrapServers: bootstrapServers, groupID: "catch-up-\(UUID().uuidString)")
        configuration.commitStrategy = .manual
        configuration.offsetReset = .earliest
        configuration.readCommitted = false
        let consumer = try KafkaConsumer(configuration: configuration, logger: logger)
        do {
            try consumer.assign((0..<partitions).map { KafkaTopicPartition(topic: topic, partition: $0) }, from: .beginning)
            for partition in 0..<partitions {
                _ = try await producer.send(topic: topic, partition: partition, key: marker, value: nil)
            }
            var waiting = Set(0..<partitions)
            for try await message in consumer.messages {
                if message.key == marker {
                    waiting.remove(message.partition)
                    if waiting.isEmpty { break }
                } else if !isMarker(message.key) {
                    try body(message)
                }
            }
        } catch {
            await consumer.close()
            throw error
        }
        await consumer.close()
    }
}
