import AuditChain

/// One thing wrong found by `verify` or `replay --verify`, worded to name what and where:
/// topic, partition, and the record offset or the checkpoint's position in the audit topic.
struct AuditFinding: Sendable, CustomStringConvertible {
    var topic: String
    var partition: Int32
    /// The record offset concerned.
    var offset: Int64?
    /// The offset in the audit topic of the checkpoint concerned.
    var auditOffset: Int64?
    /// The checkpoint's position among the partition's checkpoints.
    var checkpointIndex: Int?
    /// A short machine-friendly name (``VerificationFailure/Kind`` raw values, plus
    /// `recordMissing` and `corruptBytes`).
    var kind: String
    var message: String

    init(topic: String, partition: Int32, offset: Int64? = nil, auditOffset: Int64? = nil, checkpointIndex: Int? = nil, kind: String, message: String) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.auditOffset = auditOffset
        self.checkpointIndex = checkpointIndex
        self.kind = kind
        self.message = message
    }

    /// A library failure, with its checkpoint index translated to an audit-topic offset.
    init(_ failure: VerificationFailure, auditOffsets: [Int64], auditTopic: String) {
        var auditOffset: Int64?
        if let index = failure.checkpointIndex, auditOffsets.indices.contains(index) { auditOffset = auditOffsets[index] }
        self.init(topic: failure.topic, partition: failure.partition, offset: failure.offset, auditOffset: auditOffset,
                  checkpointIndex: failure.checkpointIndex, kind: failure.kind.rawValue, message: failure.message)
        // A record finding names its offset; say which checkpoint too (e.g. for truncation).
        if let auditOffset, failure.offset != nil { message += " (checkpoint in \(auditTopic) at offset \(auditOffset))" }
    }

    var description: String {
        var location = "topic \(topic) partition \(partition)"
        if let offset {
            location += " offset \(offset)"
        } else if let auditOffset {
            location += " checkpoint #\(checkpointIndex ?? 0) at audit offset \(auditOffset)"
        }
        return "TAMPERED \(location): \(kind): \(message)"
    }
}
