/// The batched delivery results of ``KafkaProducer/enqueue(topic:partition:key:value:headers:timestamp:)``.
///
/// Bounded: at most `maxQueuedMessages` results are outstanding, because `enqueue` refuses
/// new messages until reports are read.
public struct KafkaDeliveryReports: AsyncSequence, Sendable {
    public typealias Element = [KafkaDeliveryResult]
    let tracker: DeliveryTracker

    public struct AsyncIterator: AsyncIteratorProtocol {
        let tracker: DeliveryTracker

        public mutating func next() async -> [KafkaDeliveryResult]? {
            await tracker.nextReports()
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(tracker: tracker)
    }
}
