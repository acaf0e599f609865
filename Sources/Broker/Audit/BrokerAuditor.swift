import AuditChain
import Foundation
import KafkaProtocol
import LogStore
import Logging
import NIOConcurrencyHelpers
import NIOCore

/// Chains every record appended to an audited topic into its partition's Merkle log and
/// writes signed checkpoints to `__audit`.
///
/// Hashing is off the request path: under the partition's lock a batch is appended and
/// handed to the partition's serial chaining queue, which hashes its records into the
/// Merkle log and writes checkpoints. Enqueued in append order, leaves enter the tree in
/// offset order even when two connections produce to the same partition, and the leaves
/// and checkpoints are exactly those of hashing inline — only the producer no longer waits
/// for them (leaf hashing cost a third of 1 KiB produce throughput; it now runs on another
/// core). A checkpoint never covered an acknowledged-but-unchained record anyway; records a
/// crash leaves unchained are re-chained from the log at start (``resume(auditedLogs:)``).
/// Before a checkpoint is written the partition's log is fsynced: a checkpoint never covers
/// records that a power loss could take back.
final class BrokerAuditor: Sendable {
    static let topic = "__audit"

    struct Settings: Sendable {
        /// A checkpoint is written once this many records are pending...
        var checkpointEveryRecords = 10_000
        /// ...or when the oldest pending record is this old.
        var checkpointIntervalMs: Int64 = 1_000
        /// Batch bytes a partition may have waiting for chaining before appends wait for it
        /// (memory bound when producers outrun hashing).
        var maxQueuedBytes = 64 << 20
    }

    private final class AuditedPartition: Sendable {
        /// Serializes appends with their enqueueing, so the queue sees batches in offset order.
        let lock = NIOLock()
        /// Runs all chaining and checkpointing of this partition, in order.
        let queue: DispatchQueue
        let chainer: NIOLockedValueBox<PartitionChainer>
        let queuedBytes = NIOLockedValueBox(0)
        let log: PartitionLog
        init(chainer: PartitionChainer, log: PartitionLog) {
            self.chainer = NIOLockedValueBox(chainer)
            self.log = log
            queue = DispatchQueue(label: "eventd.audit.\(log.topic)-\(log.partition)")
        }
    }

    let signingKey: SigningKey
    let settings: Settings
    private let auditLog: PartitionLog
    private let logger: Logger
    private let partitions = NIOLockedValueBox<[String: AuditedPartition]>([:])

    init(signingKey: SigningKey, auditLog: PartitionLog, settings: Settings, logger: Logger) {
        self.signingKey = signingKey
        self.auditLog = auditLog
        self.settings = settings
        self.logger = logger
    }

    /// Appends `batch` (exactly one RecordBatch) to `log`; when the topic is audited, queues
    /// its records for chaining.
    func append(_ batch: ByteBuffer, to log: PartitionLog, audited: Bool, now: Int64) throws -> AppendResult {
        guard audited else { return try log.append(batch, now: now) }
        let partition = try auditedPartition(log)
        let result = try partition.lock.withLock {
            let result = try log.append(batch, now: now)
            guard !result.isDuplicate else { return result }
            partition.queuedBytes.withLockedValue { $0 += batch.readableBytes }
            let baseOffset = result.baseOffset
            partition.queue.async {
                // Hash what was stored: the batch as produced, with the offsets the log assigned.
                self.chain(batch, baseOffset: baseOffset, into: partition, now: now)
            }
            return result
        }
        if partition.queuedBytes.withLockedValue({ $0 }) > settings.maxQueuedBytes {
            partition.queue.sync {}  // let hashing catch up
        }
        return result
    }

    /// On `partition.queue`: hashes the records of one stored batch into the chain and writes
    /// a checkpoint when enough are pending.
    private func chain(_ batch: ByteBuffer, baseOffset: Int64, into partition: AuditedPartition, now: Int64) {
        defer { partition.queuedBytes.withLockedValue { $0 -= batch.readableBytes } }
        let pending: Int
        do {
            pending = try partition.chainer.withLockedValue { chainer -> Int in
                // Produce requests carry exactly one batch per partition (checked before append).
                let recordBatch = try RecordBatch(bytes: batch, verifyCRC: false)
                try recordBatch.forEachRecordView(baseOffset: baseOffset, maxDecompressedSize: 256 << 20) { try chainer.append($0) }
                return chainer.pendingCount
            }
        } catch {
            // The produce path validated the batch, so this is a bug; verification will report
            // the records as not audited.
            logger.error("cannot chain a batch of \(partition.log.topic)-\(partition.log.partition): \(error)")
            return
        }
        if pending >= settings.checkpointEveryRecords {
            // The records are stored and chained whatever happens here; a checkpoint that
            // cannot be written now (disk full) is retried by the next one.
            do {
                try writeCheckpoint(partition, now: now)
            } catch {
                logger.error("cannot write audit checkpoint for \(partition.log.topic)-\(partition.log.partition): \(error)")
            }
        }
    }

    /// Writes checkpoints for partitions whose pending records waited long enough (or all of
    /// them, at shutdown). Waits for each partition's queued batches first, so that a
    /// forced (final) checkpoint covers every record appended before the call.
    func checkpointDue(now: Int64, force: Bool = false) {
        let all = partitions.withLockedValue { Array($0.values) }
        for partition in all {
            partition.queue.sync {
                let pending = partition.chainer.withLockedValue { $0.pendingCount }
                guard force || pending > 0 else { return }
                do {
                    try writeCheckpoint(partition, now: now)
                } catch {
                    logger.error("cannot write audit checkpoint for \(partition.log.topic)-\(partition.log.partition): \(error)")
                }
            }
        }
    }

    /// Rebuilds every audited partition's chain at start: resume from its last `__audit`
    /// record, then chain the records appended after it (those a crash left uncheckpointed).
    func resume(auditedLogs: [PartitionLog]) throws {
        var last: [String: AuditRecord] = [:]
        // A checkpoint may cover no new records (the final one at a quiet shutdown), so the
        // last covered offset is tracked across records.
        var lastCovered: [String: Int64] = [:]
        try forEachAuditRecord { record in
            last[record.key] = record
            if let offset = record.entries.last?.offset { lastCovered[record.key] = offset }
        }
        for log in auditedLogs {
            let key = AuditRecord.key(topic: log.topic, partition: log.partition)
            var chainer: PartitionChainer
            var from = log.logStartOffset
            if let record = last[key] {
                chainer = try PartitionChainer(resumingFrom: record)
                if let covered = lastCovered[key] { from = max(from, covered + 1) }
            } else {
                chainer = PartitionChainer(topic: log.topic, partition: log.partition)
            }
            var chained = 0
            try log.forEachRecord(from: from) { record in
                try chainer.append(record)
                chained += 1
            }
            partitions.withLockedValue { $0[key] = AuditedPartition(chainer: chainer, log: log) }
            if chained > 0 {
                logger.info("audit chain resumed", metadata: ["partition": "\(key)", "rechained": "\(chained)"])
            }
        }
    }

    private func auditedPartition(_ log: PartitionLog) throws -> AuditedPartition {
        let key = AuditRecord.key(topic: log.topic, partition: log.partition)
        return partitions.withLockedValue { all in
            if let existing = all[key] { return existing }
            // A partition that became audited while running (new topic or new partition)
            // starts its chain at its current end: earlier records were never chained.
            let created = AuditedPartition(chainer: PartitionChainer(topic: log.topic, partition: log.partition), log: log)
            all[key] = created
            return created
        }
    }

    /// Runs on `partition.queue`.
    private func writeCheckpoint(_ partition: AuditedPartition, now: Int64) throws {
        try partition.log.flush()
        // The chainer moves on (pending leaves cleared, previous hash advanced) only once the
        // checkpoint is stored: after a failed write (disk full) the next one covers the same
        // leaves and links to the last checkpoint really written, so the chain stays verifiable.
        var next = partition.chainer.withLockedValue { $0 }
        let record = try next.makeCheckpoint(timestampMs: now, signingKey: signingKey)
        var builder = RecordBatchBuilder()
        builder.append(key: ByteBuffer(string: record.key), value: record.encodedValue, timestamp: now)
        try auditLog.append(try builder.build(), now: now)
        partition.chainer.withLockedValue { $0 = next }
    }

    private func forEachAuditRecord(_ body: (AuditRecord) throws -> Void) throws {
        try auditLog.forEachRecord { record in
            guard let value = record.value else { return }
            try body(try AuditRecord(decodingValue: value))
        }
    }
}
