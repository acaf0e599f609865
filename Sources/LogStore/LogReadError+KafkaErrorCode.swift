import KafkaProtocol

extension LogReadError {
    /// The Kafka error code a Fetch, ListOffsets or DeleteRecords response carries for this error.
    public var kafkaErrorCode: KafkaErrorCode {
        switch self {
        case .offsetOutOfRange: return .offsetOutOfRange
        }
    }
}
