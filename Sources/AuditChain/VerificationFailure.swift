/// One thing wrong with a partition's audit chain or records.
public struct VerificationFailure: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Hashable, Sendable {
        /// An `__audit` value that does not decode.
        case malformedAuditRecord
        /// A checkpoint of another topic or partition among this partition's audit records.
        case wrongPartition
        /// A checkpoint whose signature does not verify with the given key (or names another key).
        case badSignature
        /// A checkpoint whose previous-checkpoint hash is not the hash of the one before it:
        /// a checkpoint was removed, reordered or inserted.
        case brokenChain
        /// A checkpoint whose leaves do not start where the previous checkpoint ended, or
        /// whose entry count does not match its tree size.
        case coverageMismatch
        /// Audit entries whose offsets do not strictly increase.
        case entryOrder
        /// The leaves up to a checkpoint do not rebuild its signed root.
        case rootMismatch
        /// A surviving record whose bytes differ from the leaf recorded for its offset.
        case recordChanged
        /// A record at an offset the audit chain covers but has no leaf for (an insertion).
        case recordNotAudited
        /// Records not in increasing offset order (or repeated).
        case recordsOutOfOrder
        /// The log ends before offsets a checkpoint covers: records were cut off its end.
        case truncated
    }

    public var kind: Kind
    public var topic: String
    public var partition: Int32
    /// The record offset concerned, when the failure is about a record.
    public var offset: Int64?
    /// The position of the checkpoint concerned among the partition's audit records (0-based).
    public var checkpointIndex: Int?
    /// A readable explanation.
    public var message: String

    public init(kind: Kind, topic: String, partition: Int32, offset: Int64? = nil, checkpointIndex: Int? = nil, message: String) {
        self.kind = kind
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.checkpointIndex = checkpointIndex
        self.message = message
    }

    public var description: String {
        var location = "\(topic)/\(partition)"
        if let offset { location += " offset \(offset)" }
        if let checkpointIndex { location += " checkpoint #\(checkpointIndex)" }
        return "\(location): \(kind.rawValue): \(message)"
    }
}
