import Kafka
import Logging

/// Reads one partition from an offset up to its end as it is when the read starts.
struct PartitionReader: Sendable {
    let bootstrapServers: [String]
    let additionalProperties: [String: String]
    let logger: Logger

    /// Calls `body` for every message of the partition from `offset` (default: the first
    /// stored) up to the high watermark at the time of the call.
    func read(topic: String, partition: Int32, from offset: Int64? = nil, _ body: (KafkaConsumerMessage) throws -> Void) async throws {
        var configuration = KafkaConsumerConfiguration(bootstrapServers: bootstrapServers)
        configuration.additionalProperties = additionalProperties
        let consumer = try KafkaConsumer(configuration: configuration, logger: logger)
        do {
            let (low, high) = try await consumer.watermarks(topic: topic, partition: partition)
            let start = max(offset ?? low, low)
            if start < high {
                try consumer.assign([KafkaTopicPartition(topic: topic, partition: partition)], from: .exact(start))
                // The last offset below the high watermark always holds a record: compaction
                // never removes a key's newest record, retention never the active segment.
                for try await message in consumer.messages {
                    try body(message)
                    if message.offset >= high - 1 { break }
                }
            }
        } catch {
            await consumer.close()
            throw error
        }
        await consumer.close()
    }
}
