/// The outcome of one message produced with ``KafkaProducer/enqueue(topic:partition:key:value:headers:timestamp:)``,
/// delivered in batches by ``KafkaProducer/deliveryReports``.
public struct KafkaDeliveryResult: Sendable {
    /// The identifier `enqueue` returned for the message.
    public var messageID: UInt64
    /// Where it was stored, or why it was not.
    public var result: Result<DeliveryReport, KafkaError>
}
