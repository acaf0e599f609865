import KafkaProtocol

/// The writer side of one audited partition: hashes appended records into the partition's
/// Merkle log and, when asked, produces the signed ``AuditRecord`` for `__audit`.
///
/// The broker calls ``append(_:)-(Record)`` for every record it appends (after offsets and
/// LogAppendTime timestamps are assigned), and ``makeCheckpoint(timestampMs:signingKey:)``
/// every N records or T milliseconds and at clean shutdown. Only the compact Merkle state
/// and the pending leaves are kept, so memory does not grow with the partition.
public struct PartitionChainer: Sendable {
    public let topic: String
    public let partition: Int32

    private var hasher: LeafHasher
    private var tree: MerkleLog
    private var pending: [AuditRecord.Entry] = []
    private var lastOffset: Int64?
    private var previousCheckpointHash: AuditDigest = .zero

    /// A partition with no audit history.
    public init(topic: String, partition: Int32) {
        self.topic = topic
        self.partition = partition
        hasher = LeafHasher(topic: topic, partition: partition)
        tree = MerkleLog(storingLeaves: false)
    }

    /// Resumes after the partition's last `__audit` record (read back at start-up).
    ///
    /// - Throws: ``AuditChainError/malformed(_:)`` when the record's frontier does not
    ///   reproduce its signed root (a corrupt record must not be built upon).
    public init(resumingFrom last: AuditRecord) throws {
        let checkpoint = last.checkpoint.checkpoint
        self.init(topic: checkpoint.topic, partition: checkpoint.partition)
        tree = try MerkleLog(size: checkpoint.treeSize, frontier: last.frontier)
        guard tree.rootHash == checkpoint.rootHash else {
            throw AuditChainError.malformed("audit record: frontier does not rebuild the checkpoint's root")
        }
        lastOffset = last.entries.last?.offset
        previousCheckpointHash = checkpoint.hash
    }

    /// Number of leaves, checkpointed or not.
    public var treeSize: UInt64 { tree.size }

    /// Records appended since the last checkpoint.
    public var pendingCount: Int { pending.count }

    /// Adds one record of this partition.
    ///
    /// - Throws: ``AuditChainError/outOfRange(_:)`` when offsets do not increase.
    public mutating func append(_ record: Record) throws {
        try append(leafHash: hasher.leafHash(of: record), offset: record.offset)
    }

    /// Adds one record read in place from its batch (see ``KafkaProtocol/RecordView``).
    public mutating func append(_ record: RecordView) throws {
        try append(leafHash: hasher.leafHash(of: record), offset: record.offset)
    }

    /// Adds one record given as owned fields (e.g. by the companion reading a stock Kafka cluster).
    ///
    /// - Throws: ``AuditChainError/outOfRange(_:)`` for a record of another partition or
    ///   an offset that does not increase.
    public mutating func append(_ input: LeafInput) throws {
        guard input.topic == topic, input.partition == partition else {
            throw AuditChainError.outOfRange("record of \(input.topic)/\(input.partition) appended to \(topic)/\(partition)")
        }
        try append(leafHash: hasher.leafHash(of: input), offset: input.offset)
    }

    /// Adds already-hashed leaves in order (the broker hashes a batch's leaves on any core,
    /// ``LeafHasher/appendLeaves(of:baseOffset:maxDecompressedSize:to:)``, and only this serial part
    /// runs per partition), and signs a checkpoint each time `checkpointEvery` records are
    /// pending: at exactly that count, even inside the batch, so that no `__audit` record
    /// outgrows its topic.
    ///
    /// - Returns: the checkpoints made, oldest first.
    /// - Throws: ``AuditChainError/outOfRange(_:)`` when offsets do not increase (the leaves
    ///   before that one are added).
    public mutating func append(
        leaves: [AuditRecord.Entry], checkpointEvery: Int, timestampMs: Int64, signingKey: SigningKey
    ) throws -> [AuditRecord] {
        var made: [AuditRecord] = []
        var index = 0
        while index < leaves.count {
            // Eight at a time where they complete a subtree and no checkpoint falls among them.
            if leaves.count - index >= 8, tree.acceptsEight, pending.count + 8 <= checkpointEvery,
               offsetsIncrease(leaves[index..<index + 8]) {
                withUnsafeTemporaryAllocation(of: AuditDigest.self, capacity: 8) { eight in
                    for k in 0..<8 { eight.initializeElement(at: k, to: leaves[index + k].leafHash) }
                    tree.append(eight: UnsafeBufferPointer(eight))
                }
                pending.append(contentsOf: leaves[index..<index + 8])
                lastOffset = leaves[index + 7].offset
                index += 8
            } else {
                try append(leafHash: leaves[index].leafHash, offset: leaves[index].offset)
                index += 1
            }
            if let checkpoint = try checkpointIfDue(every: checkpointEvery, timestampMs: timestampMs, signingKey: signingKey) {
                made.append(checkpoint)
            }
        }
        return made
    }

    /// Whether `leaves` may follow the last offset in this order (else they go one at a time,
    /// so that the error names the first bad one).
    private func offsetsIncrease(_ leaves: ArraySlice<AuditRecord.Entry>) -> Bool {
        var previous = lastOffset ?? .min
        for leaf in leaves {
            guard leaf.offset > previous else { return false }
            previous = leaf.offset
        }
        return true
    }

    /// ``makeCheckpoint(timestampMs:signingKey:)`` once `every` records are pending, else nil.
    /// Called after each record, it cuts at exactly that count, so that no `__audit` record
    /// outgrows its topic.
    public mutating func checkpointIfDue(every: Int, timestampMs: Int64, signingKey: SigningKey) throws -> AuditRecord? {
        guard pendingCount >= every else { return nil }
        return try makeCheckpoint(timestampMs: timestampMs, signingKey: signingKey)
    }

    /// Adds an already-computed leaf hash.
    public mutating func append(leafHash: AuditDigest, offset: Int64) throws {
        if let lastOffset, offset <= lastOffset {
            throw AuditChainError.outOfRange("offset \(offset) after \(lastOffset) in \(topic)/\(partition)")
        }
        tree.append(leafHash)
        pending.append(AuditRecord.Entry(offset: offset, leafHash: leafHash))
        lastOffset = offset
    }

    /// Signs a checkpoint of everything appended so far and returns the `__audit` record
    /// carrying it with the leaves added since the previous one. A checkpoint with no new
    /// leaves is valid (e.g. the final one at shutdown when nothing changed).
    public mutating func makeCheckpoint(timestampMs: Int64, signingKey: SigningKey) throws -> AuditRecord {
        let checkpoint = Checkpoint(
            topic: topic, partition: partition, treeSize: tree.size, rootHash: tree.rootHash,
            previousCheckpointHash: previousCheckpointHash, coveredOffsetsHash: Checkpoint.offsetsHash(of: pending), timestampMs: timestampMs, keyID: signingKey.keyID)
        let signed = try checkpoint.sign(with: signingKey)
        let record = AuditRecord(checkpoint: signed, firstLeafIndex: tree.size - UInt64(pending.count), entries: pending, frontier: tree.frontier)
        pending.removeAll(keepingCapacity: true)
        previousCheckpointHash = checkpoint.hash
        return record
    }
}
