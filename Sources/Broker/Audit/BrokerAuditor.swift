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

    /// The most leaves one `__audit` record carries: 40 bytes each keep it under the topic's
    /// 1 MiB `max.message.bytes` (a record that could never be stored would stall the chain).
    static let maxRecordsPerCheckpoint = 20_000

    struct Settings: Sendable {
        /// A checkpoint is made once this many records are pending (at most
        /// ``BrokerAuditor/maxRecordsPerCheckpoint``)...
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
        let queuedBytes: QueuedBytes
        /// Checkpoints made but not yet stored in `__audit`, oldest first. The chain has moved
        /// past them, so a write that fails (disk full) is retried, in order, before any
        /// later one; every record stays small however long the failure lasts.
        let unwritten = NIOLockedValueBox<[AuditRecord]>([])
        let log: PartitionLog
        init(chainer: PartitionChainer, log: PartitionLog, maxQueuedBytes: Int) {
            self.chainer = NIOLockedValueBox(chainer)
            queuedBytes = QueuedBytes(bound: maxQueuedBytes)
            self.log = log
            queue = DispatchQueue(label: "eventd.audit.\(log.topic)-\(log.partition)")
        }
    }

    let signingKey: SigningKey
    let settings: Settings
    /// Records per checkpoint: the setting, capped so that an `__audit` record always fits.
    private var checkpointEvery: Int { min(max(settings.checkpointEveryRecords, 1), Self.maxRecordsPerCheckpoint) }
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
            partition.queuedBytes.add(batch.readableBytes)
            let baseOffset = result.baseOffset
            partition.queue.async {
                // Hash what was stored: the batch as produced, with the offsets the log assigned.
                self.chain(batch, baseOffset: baseOffset, into: partition, now: now)
            }
            return result
        }
        partition.queuedBytes.waitUntilWithinBound()  // let hashing catch up
        return result
    }

    /// On `partition.queue`: hashes the records of one stored batch into the chain, makes a
    /// checkpoint each time enough records are pending, and writes the checkpoints made.
    private func chain(_ batch: ByteBuffer, baseOffset: Int64, into partition: AuditedPartition, now: Int64) {
        defer { partition.queuedBytes.remove(batch.readableBytes) }
        var made: [AuditRecord] = []
        do {
            try partition.chainer.withLockedValue { chainer in
                // Produce requests carry exactly one batch per partition (checked before append).
                let recordBatch = try RecordBatch(bytes: batch, verifyCRC: false)
                made = try chainer.append(
                    recordsOf: recordBatch, baseOffset: baseOffset, maxDecompressedSize: 256 << 20,
                    checkpointEvery: checkpointEvery, timestampMs: now, signingKey: signingKey)
            }
        } catch {
            // The produce path validated the batch, so this is a bug; verification will report
            // the records as not audited.
            logger.error("cannot chain a batch of \(partition.log.topic)-\(partition.log.partition): \(error)")
        }
        if !made.isEmpty {
            partition.unwritten.withLockedValue { $0.append(contentsOf: made) }
        }
        writeUnwrittenCheckpoints(partition, now: now)
    }

    /// Writes checkpoints for partitions with pending records (or for all of them, at
    /// shutdown), each after the batches already queued for it, so that a checkpoint covers
    /// every record appended before the call.
    ///
    /// The periodic call only queues the work: it runs on an event loop, and waiting there for
    /// a partition's chaining backlog stalled every connection of that loop once a second
    /// (tens of milliseconds under load). The forced, final call waits.
    func checkpointDue(now: Int64, force: Bool = false) {
        let all = partitions.withLockedValue { Array($0.values) }
        for partition in all {
            let work: @Sendable () -> Void = {
                let made = partition.chainer.withLockedValue { chainer -> AuditRecord? in
                    guard force || chainer.pendingCount > 0 else { return nil }
                    do {
                        return try chainer.makeCheckpoint(timestampMs: now, signingKey: self.signingKey)
                    } catch {
                        self.logger.error("cannot sign an audit checkpoint for \(partition.log.topic)-\(partition.log.partition): \(error)")
                        return nil
                    }
                }
                if let made { partition.unwritten.withLockedValue { $0.append(made) } }
                self.writeUnwrittenCheckpoints(partition, now: now)
            }
            if force {
                partition.queue.sync(execute: work)
            } else {
                partition.queue.async(execute: work)
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
            // A crash can leave many more records unchained than one checkpoint may carry (the
            // chaining backlog alone holds up to 64 MiB), so they are cut like live appends.
            var chained = 0
            var made: [AuditRecord] = []
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            try log.forEachRecord(from: from) { record in
                try chainer.append(record)
                chained += 1
                if let checkpoint = try chainer.checkpointIfDue(every: checkpointEvery, timestampMs: now, signingKey: signingKey) {
                    made.append(checkpoint)
                }
            }
            let partition = AuditedPartition(chainer: chainer, log: log, maxQueuedBytes: settings.maxQueuedBytes)
            partition.unwritten.withLockedValue { $0 = made }
            partitions.withLockedValue { $0[key] = partition }
            writeUnwrittenCheckpoints(partition, now: now)
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
            let created = AuditedPartition(chainer: PartitionChainer(topic: log.topic, partition: log.partition), log: log, maxQueuedBytes: settings.maxQueuedBytes)
            all[key] = created
            return created
        }
    }

    /// On `partition.queue`: stores the partition's unwritten checkpoints in `__audit`, oldest
    /// first, after an fsync of the partition's log (a checkpoint never covers records that a
    /// power loss could take back). Stops at the first failure; the next call retries from it.
    private func writeUnwrittenCheckpoints(_ partition: AuditedPartition, now: Int64) {
        let records = partition.unwritten.withLockedValue { $0 }
        guard !records.isEmpty else { return }
        do {
            try partition.log.flush()
            for record in records {
                var builder = RecordBatchBuilder()
                builder.append(key: ByteBuffer(string: record.key), value: record.encodedValue, timestamp: record.checkpoint.checkpoint.timestampMs)
                try auditLog.append(try builder.build(), now: now)
                _ = partition.unwritten.withLockedValue { $0.removeFirst() }
            }
        } catch {
            logger.error("cannot write audit checkpoint for \(partition.log.topic)-\(partition.log.partition) (\(records.count) waiting, retried with the next batch): \(error)")
        }
    }

    private func forEachAuditRecord(_ body: (AuditRecord) throws -> Void) throws {
        try auditLog.forEachRecord { record in
            guard let value = record.value else { return }
            try body(try AuditRecord(decodingValue: value))
        }
    }
}
