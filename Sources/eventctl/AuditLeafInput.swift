import AuditChain
import Kafka

extension LeafInput {
    /// The leaf inputs of a message read over the wire. A message without a timestamp
    /// hashes as timestamp -1 (what Kafka stores for "none"), so it cannot match by accident.
    init(_ message: KafkaConsumerMessage) {
        self.init(
            topic: message.topic, partition: message.partition, offset: message.offset,
            timestamp: message.timestamp.map(ReplayEventLine.milliseconds) ?? -1,
            key: message.key, value: message.value,
            headers: message.headers.map { LeafInput.Header(key: $0.key, value: $0.value) })
    }
}
