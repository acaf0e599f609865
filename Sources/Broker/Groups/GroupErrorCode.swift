import KafkaProtocol

/// The error codes the group coordinator answers with are Kafka's own; `rawValue` is what
/// goes on the wire.
typealias GroupErrorCode = KafkaErrorCode
