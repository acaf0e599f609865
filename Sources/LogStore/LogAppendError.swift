/// Why ``PartitionLog/append(_:now:logAppendTime:)`` refused a set of batches.
///
/// Each case maps to one Kafka error code, noted per case, so the broker can answer the
/// producer instead of dropping the connection.
public enum LogAppendError: Error, Equatable, Sendable {
    /// The sequence number of an idempotent batch is not the one after the producer's last
    /// batch (OUT_OF_ORDER_SEQUENCE_NUMBER, 45).
    case outOfOrderSequence
    /// The producer epoch is older than the newest one seen for this producer id
    /// (INVALID_PRODUCER_EPOCH, 47).
    case invalidProducerEpoch
    /// The bytes are not a sequence of well-formed RecordBatch v2 headers (CORRUPT_MESSAGE, 2).
    case corruptBatch(String)
    /// One batch is larger than `LogConfig.maxMessageBytes` (MESSAGE_TOO_LARGE, 10).
    case batchTooLarge(size: Int, maxMessageBytes: Int)
    /// A record without a key was appended to a log whose cleanup policy compacts: compaction
    /// works by key, so Kafka refuses such records (INVALID_RECORD, 87).
    case keylessRecordOnCompactedTopic
}
