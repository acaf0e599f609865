/// The messages of a ``KafkaConsumer``; see ``KafkaConsumer/messages``.
///
/// Pull-based and bounded: each `next()` polls librdkafka for one message, so nothing
/// accumulates when the application is slower than the topic.
public struct KafkaConsumerMessages: AsyncSequence, Sendable {
    public typealias Element = KafkaConsumerMessage
    let consumer: KafkaConsumer

    public struct AsyncIterator: AsyncIteratorProtocol {
        let consumer: KafkaConsumer

        public mutating func next() async throws -> KafkaConsumerMessage? {
            try await consumer.nextMessage()
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(consumer: consumer)
    }
}
