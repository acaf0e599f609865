import KafkaProtocol
import NIOCore

/// Verifies one partition against its audit chain, offline, with only the public key.
///
/// Use in three phases:
/// 1. ``addAuditRecord(_:)`` for each of the partition's `__audit` records, in `__audit`
///    order: checks every signature, the previous-hash chain, and that each checkpoint's
///    leaves extend the Merkle log to its signed root (which is also what makes consecutive
///    checkpoints consistent).
/// 2. ``checkRecord(_:)-(Record)`` for each surviving record of the partition, in offset
///    order: each must equal the leaf recorded for its offset. Records may be missing
///    anywhere (compaction, retention, DeleteRecords remove payloads, not leaves).
/// 3. ``finish(logStartOffset:logEndOffset:)``: reports truncation (checkpointed offsets at
///    or after the log's end) and returns the ``VerificationReport``.
///
/// Records are streamed, so memory holds only the leaves (40 bytes per record), never
/// payloads. ``verify(topic:partition:publicKey:auditRecordValues:records:logStartOffset:logEndOffset:)``
/// does all three at once.
public struct ChainVerifier: Sendable {
    /// Failures listed in a report before the rest are only counted.
    public static let maxReportedFailures = 1000

    public let topic: String
    public let partition: Int32
    public let publicKey: VerifyingKey

    private var hasher: LeafHasher
    private var tree = MerkleLog(storingLeaves: false)
    /// Every checkpointed leaf with its offset, in offset order.
    private var entries: [AuditRecord.Entry] = []
    /// For each entry, the index of the first checkpoint covering it (for truncation reports).
    private var entryCheckpointEnds: [(endEntry: Int, checkpointIndex: Int)] = []
    private var expectedPreviousHash: AuditDigest = .zero
    private var checkpointCount = 0
    private var lastCheckpoint: SignedCheckpoint?

    private var cursor = 0
    private var lastRecordOffset: Int64?
    private var verified = 0
    private var changed = 0
    private var unaudited = 0
    private var failures: [VerificationFailure] = []
    private var unreported = 0

    public init(topic: String, partition: Int32, publicKey: VerifyingKey) {
        self.topic = topic
        self.partition = partition
        self.publicKey = publicKey
        hasher = LeafHasher(topic: topic, partition: partition)
    }

    // MARK: Phase 1: audit records

    /// Adds one `__audit` record value of this partition; a value that does not decode is
    /// reported as ``VerificationFailure/Kind/malformedAuditRecord``.
    public mutating func addAuditRecord(value: ByteBuffer) {
        do {
            try addAuditRecord(AuditRecord(decodingValue: value))
        } catch {
            fail(.malformedAuditRecord, checkpointIndex: checkpointCount, "\(error)")
            checkpointCount += 1
        }
    }

    /// Adds one decoded audit record of this partition.
    public mutating func addAuditRecord(_ record: AuditRecord) {
        let index = checkpointCount
        checkpointCount += 1
        let signed = record.checkpoint
        let checkpoint = signed.checkpoint
        guard checkpoint.topic == topic, checkpoint.partition == partition else {
            fail(.wrongPartition, checkpointIndex: index, "checkpoint of \(checkpoint.topic)/\(checkpoint.partition)")
            return
        }
        if !signed.verify(publicKey: publicKey) {
            let reason = checkpoint.keyID == publicKey.keyID ? "signature does not verify" : "signed by key \(checkpoint.keyID), not \(publicKey.keyID)"
            fail(.badSignature, checkpointIndex: index, reason)
        }
        if checkpoint.previousCheckpointHash != expectedPreviousHash {
            fail(.brokenChain, checkpointIndex: index, "previous-checkpoint hash does not match the checkpoint before it: one was removed, reordered or inserted")
        }
        // Continue the chain from this checkpoint whatever happened, so that one bad
        // checkpoint is reported once rather than poisoning every later one.
        expectedPreviousHash = checkpoint.hash
        lastCheckpoint = signed

        if record.firstLeafIndex != tree.size || UInt64(record.entries.count) != checkpoint.treeSize &- record.firstLeafIndex {
            fail(.coverageMismatch, checkpointIndex: index, "covers leaves \(record.firstLeafIndex)..<\(checkpoint.treeSize) with \(record.entries.count) entries, but the chain so far has \(tree.size) leaves")
        }
        if Checkpoint.offsetsHash(of: record.entries) != checkpoint.coveredOffsetsHash {
            fail(.coverageMismatch, checkpointIndex: index, "the entries' offsets are not the ones the checkpoint signed")
        }
        for entry in record.entries {
            if let last = entries.last, entry.offset <= last.offset {
                fail(.entryOrder, offset: entry.offset, checkpointIndex: index, "audit entry offset \(entry.offset) does not follow \(last.offset)")
                // Keep it in the tree (the root covers it) but not in the offset index.
                tree.append(entry.leafHash)
                continue
            }
            tree.append(entry.leafHash)
            entries.append(entry)
        }
        entryCheckpointEnds.append((entries.count, index))
        if tree.size != checkpoint.treeSize || tree.rootHash != checkpoint.rootHash {
            fail(.rootMismatch, checkpointIndex: index, "the leaves up to tree size \(checkpoint.treeSize) do not rebuild the signed root")
        } else if record.frontier != tree.frontier {
            // Unsigned resume state, but a broker resuming from it would extend a wrong tree.
            fail(.coverageMismatch, checkpointIndex: index, "the stored Merkle frontier does not match the leaves")
        }
    }

    // MARK: Phase 2: surviving records

    /// Checks one surviving record (from the partition's RecordBatches), in offset order.
    public mutating func checkRecord(_ record: Record) {
        checkRecord(offset: record.offset, leafHash: hasher.leafHash(of: record))
    }

    /// Checks one surviving record given as owned fields.
    public mutating func checkRecord(_ input: LeafInput) {
        guard input.topic == topic, input.partition == partition else {
            fail(.recordNotAudited, offset: input.offset, "record of \(input.topic)/\(input.partition) checked against \(topic)/\(partition)")
            return
        }
        checkRecord(offset: input.offset, leafHash: hasher.leafHash(of: input))
    }

    /// Checks one surviving record's already-computed leaf hash.
    public mutating func checkRecord(offset: Int64, leafHash: AuditDigest) {
        if let last = lastRecordOffset, offset <= last {
            fail(.recordsOutOfOrder, offset: offset, "record offset \(offset) after \(last)")
            return
        }
        lastRecordOffset = offset
        // Entries before this offset have no surviving record: removed, which is allowed.
        while cursor < entries.count && entries[cursor].offset < offset { cursor += 1 }
        if cursor < entries.count && entries[cursor].offset == offset {
            if entries[cursor].leafHash == leafHash {
                verified += 1
            } else {
                changed += 1
                fail(.recordChanged, offset: offset, "record bytes differ from the audited leaf")
            }
            cursor += 1
        } else if cursor >= entries.count {
            unaudited += 1  // after the last checkpoint
        } else {
            fail(.recordNotAudited, offset: offset, "no audited leaf at this offset, which the audit chain covers")
        }
    }

    // MARK: Phase 3

    /// Finishes verification.
    ///
    /// - Parameters:
    ///   - logStartOffset: the partition's first offset; records before it were removed by
    ///     retention or DeleteRecords (fine).
    ///   - logEndOffset: the offset after the partition's last record (its high watermark).
    ///     A checkpointed offset at or after it means the log was cut short: truncation.
    public mutating func finish(logStartOffset: Int64, logEndOffset: Int64) -> VerificationReport {
        // Entries are in offset order, so the first one at or after the end is where the cut is.
        if let firstCut = entries.firstIndex(where: { $0.offset >= logEndOffset }) {
            let checkpointIndex = entryCheckpointEnds.first(where: { $0.endEntry > firstCut })?.checkpointIndex
            let lastCovered = entries[entries.count - 1].offset
            fail(.truncated, offset: entries[firstCut].offset, checkpointIndex: checkpointIndex,
                 "the log ends at offset \(logEndOffset) but checkpoints cover records up to offset \(lastCovered): \(entries.count - firstCut) audited records are missing from its end")
        }
        return VerificationReport(
            topic: topic, partition: partition, failures: failures, unreportedFailureCount: unreported,
            checkpointCount: checkpointCount, treeSize: tree.size, verifiedRecordCount: verified,
            removedRecordCount: entries.count - verified - changed,
            removedBeforeLogStartCount: entries.prefix { $0.offset < logStartOffset }.count,
            unauditedRecordCount: unaudited, lastCheckpoint: lastCheckpoint)
    }

    /// Verifies a partition in one call: its `__audit` record values in order, then its
    /// surviving records in offset order.
    public static func verify(
        topic: String, partition: Int32, publicKey: VerifyingKey,
        auditRecordValues: some Sequence<ByteBuffer>, records: some Sequence<Record>,
        logStartOffset: Int64, logEndOffset: Int64
    ) -> VerificationReport {
        var verifier = ChainVerifier(topic: topic, partition: partition, publicKey: publicKey)
        for value in auditRecordValues { verifier.addAuditRecord(value: value) }
        for record in records { verifier.checkRecord(record) }
        return verifier.finish(logStartOffset: logStartOffset, logEndOffset: logEndOffset)
    }

    private mutating func fail(_ kind: VerificationFailure.Kind, offset: Int64? = nil, checkpointIndex: Int? = nil, _ message: String) {
        guard failures.count < Self.maxReportedFailures else {
            unreported += 1
            return
        }
        failures.append(VerificationFailure(kind: kind, topic: topic, partition: partition, offset: offset, checkpointIndex: checkpointIndex, message: message))
    }
}
