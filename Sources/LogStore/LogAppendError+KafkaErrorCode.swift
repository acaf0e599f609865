import KafkaProtocol

extension LogAppendError {
    /// The Kafka error code a Produce response carries for this refusal.
    public var kafkaErrorCode: KafkaErrorCode {
        switch self {
        case .outOfOrderSequence: return .outOfOrderSequenceNumber
        case .invalidProducerEpoch: return .invalidProducerEpoch
        case .corruptBatch: return .corruptMessage
        case .batchTooLarge: return .messageTooLarge
        case .keylessRecordOnCompactedTopic: return .invalidRecord
        }
    }
}
