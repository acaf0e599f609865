/// Settings of a ``KafkaProducer``.
///
/// The defaults are chosen for financial data: every acknowledged event is on all in-sync
/// replicas (`acks=all`), retries never duplicate or reorder (`enable.idempotence=true`),
/// batches are compressed, and a message that cannot be delivered fails after
/// ``deliveryTimeout`` instead of being retried forever.
///
/// Any librdkafka property not modelled here can be set through ``additionalProperties``;
/// those entries win over the typed values.
public struct KafkaProducerConfiguration: Sendable {
    /// `host:port` of one or more brokers to bootstrap from (`bootstrap.servers`).
    public var bootstrapServers: [String]
    /// `client.id`, shown in broker logs and metrics.
    public var clientID: String = "compliancelog"
    /// `acks`.
    public var acks: KafkaAcks = .all
    /// `enable.idempotence`: exactly-once, in-order delivery per partition across retries.
    public var idempotence: Bool = true
    /// `compression.codec`.
    public var compression: KafkaCompression = .lz4
    /// `delivery.timeout.ms`: how long a message may take, retries included, before its
    /// delivery report fails with `_MSG_TIMED_OUT`.
    public var deliveryTimeout: Duration = .seconds(120)
    /// `linger.ms`: how long to wait for more messages before sending a batch. 0 gives the
    /// lowest latency; a few milliseconds give larger batches and higher throughput.
    public var linger: Duration = .milliseconds(5)
    /// `queue.buffering.max.messages`: the most messages held in memory awaiting delivery.
    /// When reached, ``KafkaProducer/send(topic:partition:key:value:headers:timestamp:)`` waits.
    public var maxQueuedMessages: Int = 100_000
    /// `queue.buffering.max.kbytes`: the most kilobytes held in memory awaiting delivery.
    public var maxQueuedKilobytes: Int = 65_536
    /// Any other librdkafka property (see librdkafka's CONFIGURATION.md). Wins over typed values.
    public var additionalProperties: [String: String] = [:]

    public init(bootstrapServers: [String]) {
        self.bootstrapServers = bootstrapServers
    }

    var properties: [String: String] {
        var properties: [String: String] = [
            "bootstrap.servers": bootstrapServers.joined(separator: ","),
            "client.id": clientID,
            "acks": acks.propertyValue,
            "enable.idempotence": String(idempotence),
            "compression.codec": compression.rawValue,
            "delivery.timeout.ms": String(deliveryTimeout.milliseconds),
            "linger.ms": String(linger.milliseconds),
            "queue.buffering.max.messages": String(maxQueuedMessages),
            "queue.buffering.max.kbytes": String(maxQueuedKilobytes),
        ]
        properties.merge(additionalProperties) { _, escapeHatch in escapeHatch }
        return properties
    }
}

extension Duration {
    /// Whole milliseconds, rounded down, as librdkafka's `*.ms` properties expect.
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
