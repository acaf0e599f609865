/// How many replicas must persist a batch before the broker acknowledges it.
public enum KafkaAcks: Sendable, Hashable {
    /// All in-sync replicas (`acks=all`): the only setting that does not lose acknowledged
    /// financial events when a broker fails. Required by idempotence.
    case all
    /// Only the partition leader.
    case leader
    /// No acknowledgement at all (fire and forget).
    case none

    var propertyValue: String {
        switch self {
        case .all: "all"
        case .leader: "1"
        case .none: "0"
        }
    }
}
