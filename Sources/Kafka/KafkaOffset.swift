

/// A position to start reading or to seek to.
public enum KafkaOffset: Sendable, Hashable {
    /// The oldest message still in the partition.
    case beginning
    /// After the newest message: only messages produced from now on.
    case end
    /// The group's committed offset (falling back to `auto.offset.reset`).
    case committed
    /// This exact offset.
    case exact(Int64)

    /// librdkafka's logical offsets (RD_KAFKA_OFFSET_*; C macros with casts do not import into Swift).
    var rawValue: Int64 {
        switch self {
        case .beginning: -2
        case .end: -1
        case .committed: -1000
        case .exact(let offset): offset
        }
    }
}
