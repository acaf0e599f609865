/// Why the broker refused a batch on a topic with `compliancelog.expected.version=true`.
///
/// Answered to the producer as INVALID_RECORD with ``description`` as the error message, so
/// a client sees which aggregate is behind or ahead and by how much.
enum ExpectedVersionConflict: Error, Equatable, CustomStringConvertible {
    /// The record's `aggregate-version` is not the stored version + 1.
    case versionMismatch(aggregateID: String, expected: Int64, actual: Int64, offered: Int64)
    /// The record continues an append (`append-id`) whose earlier records are not the
    /// stream's last: they were refused, and another writer's events are there instead.
    case orphanedContinuation(aggregateID: String, version: Int64, appendID: String, actual: Int64)
    /// The record carries `aggregate-version` but it is not a positive integer.
    case malformedVersion(aggregateID: String, text: String)
    /// The records could not be read to find their versions.
    case undecodableRecords(String)

    var description: String {
        switch self {
        case let .versionMismatch(aggregateID, expected, actual, offered):
            "expected-version conflict on aggregate '\(aggregateID)': expected version \(expected), actual version \(actual) (record has aggregate-version \(offered), the next must be \(actual + 1))"
        case let .orphanedContinuation(aggregateID, version, appendID, actual):
            "expected-version conflict on aggregate '\(aggregateID)': aggregate-version \(version) continues append \(appendID), whose earlier events are not stored (actual version \(actual))"
        case let .malformedVersion(aggregateID, text):
            "aggregate '\(aggregateID)': aggregate-version '\(text)' is not a positive integer"
        case let .undecodableRecords(reason):
            "records cannot be decoded to check their aggregate versions: \(reason)"
        }
    }
}
