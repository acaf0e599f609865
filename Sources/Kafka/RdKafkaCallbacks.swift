import CRdKafka
import Logging

/// What a librdkafka handle calls back into. librdkafka callbacks are C function pointers
/// that cannot capture, so the handle's opaque pointer points at this object and the
/// trampolines in ``RdKafkaClient`` forward to these closures.
final class RdKafkaCallbacks: Sendable {
    typealias Delivery = @Sendable (UnsafePointer<rd_kafka_message_t>) -> Void
    typealias Rebalance = @Sendable (OpaquePointer, rd_kafka_resp_err_t, UnsafeMutablePointer<rd_kafka_topic_partition_list_t>) -> Void

    let logger: Logger
    /// Called on the polling thread for every produced message, exactly once.
    let delivery: Delivery?
    /// Called on the consumer's polling thread when the group assigns or revokes partitions.
    let rebalance: Rebalance?

    init(logger: Logger, delivery: Delivery? = nil, rebalance: Rebalance? = nil) {
        self.logger = logger
        self.delivery = delivery
        self.rebalance = rebalance
    }

    static func from(_ rk: OpaquePointer?) -> RdKafkaCallbacks? {
        guard let rk, let opaque = rd_kafka_opaque(rk) else { return nil }
        return Unmanaged<RdKafkaCallbacks>.fromOpaque(opaque).takeUnretainedValue()
    }
}
