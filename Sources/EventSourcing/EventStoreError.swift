/// Why the event store refused or could not finish an operation.
public enum EventStoreError: Error, Hashable, CustomStringConvertible {
    /// The stream was not at `expected` when appending; it is at `actual`. Re-read, decide again.
    case conflict(aggregateID: String, expected: Int64, actual: Int64)
    /// The stream's stored versions do not run 1, 2, 3...
    case corruptStream(aggregateID: String, reason: String)
    /// The topic is not known to the cluster.
    case unknownTopic(String)
    /// An append with no events, or an expected version below 0.
    case invalidAppend(String)

    public var description: String {
        switch self {
        case let .conflict(aggregateID, expected, actual):
            "version conflict on aggregate '\(aggregateID)': expected version \(expected), actual version \(actual)"
        case let .corruptStream(aggregateID, reason): "stream of aggregate '\(aggregateID)' is corrupt: \(reason)"
        case let .unknownTopic(topic): "topic '\(topic)' does not exist"
        case let .invalidAppend(reason): "invalid append: \(reason)"
        }
    }
}
