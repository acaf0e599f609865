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
/// Hashing is off the request path and spread over the cores: under the partition's lock a
/// batch is appended and takes its place in the partition's ``ChainSteps``; its leaves are
/// hashed on a concurrent queue, and the partition's serial queue adds finished batches to
/// the Merkle log strictly in append order and writes checkpoints. So leaves enter the tree
/// in offset order even when two connections produce to the same partition, and the leaves
/// and checkpoints are exactly those of hashing inline — only the producer no longer waits
/// for them, and one busy partition is not limited to one core's hashing (a single serial
/// queue for both was the bottleneck of one-partition audited produce). A checkpoint never
/// covered an acknowledged-but-unchained record anyway; records a crash leaves unchained are
/// re-chained from the log at start (``resume(auditedLogs:)``). A checkpoint is written only
/// once the records it covers are fsynced (by group commit, or else by the checkpoint): it
/// never covers records that a power loss could take back.
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
        /// Serializes appends with taking their place in `steps`, so steps are in offset order.
        let lock = NIOLock()
        /// Runs the serial part of chaining and checkpointing this partition, in order.
        let queue: DispatchQueue
        let steps = ChainSteps()
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

    /// Where batches' leaves are hashed, any number at a time.
    private let hashingQueue = DispatchQueue(label: "eventd.audit.hashing", attributes: .concurrent)
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
            let step = partition.steps.addBatch(bytes: batch.readableBytes, now: now)
            let baseOffset = result.baseOffset
            hashingQueue.async {
                // Hash what was stored: the batch as produced, with the offsets the log assigned.
                partition.steps.hashed(step, leaves: self.leaves(of: batch, baseOffset: baseOffset, in: partition))
                partition.queue.async { self.chainHashedSteps(of: partition) }
            }
            return result
        }
        partition.queuedBytes.waitUntilWithinBound()  // let hashing catch up
        return result
    }

    /// On the hashing queue: the leaves of one stored batch.
    private func leaves(of batch: ByteBuffer, baseOffset: Int64, in partition: AuditedPartition) -> [AuditRecord.Entry] {
        var leaves: [AuditRecord.Entry] = []
        do {
            // Produce requests carry exactly one batch per partition (checked before append).
            var hasher = LeafHasher(topic: partition.log.topic, partition: partition.log.partition)
            try hasher.appendLeaves(
                of: try RecordBatch(bytes: batch, verifyCRC: false), baseOffset: baseOffset, maxDecompressedSize: 256 << 20, to: &leaves)
        } catch {
            // Only a bug gets here (the produce path parsed the batch). The records before the
            // one that does not parse are still chained; verification reports the rest as not
            // audited.
            logger.error("cannot chain all of a batch of \(partition.log.topic)-\(partition.log.partition): \(error)")
        }
        return leaves
    }

    /// On `partition.queue`: takes the steps that are ready, in append order — hashed batches
    /// into the chain (a checkpoint each time enough records are pending), checkpoint requests
    /// — and writes the checkpoints made. Stops at the first batch still being hashed; its
    /// own completion calls this again.
    private func chainHashedSteps(of partition: AuditedPartition) {
        while let step = partition.steps.nextReady() {
            switch step {
            case .batch(let leaves, let bytes, let now):
                let made = partition.chainer.withLockedValue { chainer in
                    do {
                        return try chainer.append(leaves: leaves, checkpointEvery: checkpointEvery, timestampMs: now, signingKey: signingKey)
                    } catch {
                        logger.error("cannot chain a batch of \(partition.log.topic)-\(partition.log.partition): \(error)")
                        return []
                    }
                }
                if !made.isEmpty { partition.unwritten.withLockedValue { $0.append(contentsOf: made) } }
                partition.queuedBytes.remove(bytes)
                writeUnwrittenCheckpoints(partition, now: now)
            case .checkpoint(let request):
                let made = partition.chainer.withLockedValue { chainer -> AuditRecord? in
                    guard request.force || chainer.pendingCount > 0 else { return nil }
                    do {
                        return try chainer.makeCheckpoint(timestampMs: request.now, signingKey: self.signingKey)
                    } catch {
                        self.logger.error("cannot sign an audit checkpoint for \(partition.log.topic)-\(partition.log.partition): \(error)")
                        return nil
                    }
                }
                if let made { partition.unwritten.withLockedValue { $0.append(made) } }
                writeUnwrittenCheckpoints(partition, now: request.now)
                request.done?.signal()
            }
        }
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
            let done = force ? DispatchSemaphore(value: 0) : nil
            partition.lock.withLock {
                partition.steps.addCheckpoint(ChainSteps.CheckpointRequest(now: now, force: force, done: done))
            }
            partition.queue.async { self.chainHashedSteps(of: partition) }
            done?.wait()
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
    /// first, once the records they cover are fsynced (a checkpoint never covers records that a
    /// power loss could take back). Stops at the first failure; the next call retries from it.
    private func writeUnwrittenCheckpoints(_ partition: AuditedPartition, now: Int64) {
        let records = partition.unwritten.withLockedValue { $0 }
        guard !records.isEmpty else { return }
        do {
            // Under acks=all, group commit has usually fsynced the covered records already;
            // a second fsync of the same file per checkpoint cost CPU and disk time for nothing.
            if let lastCovered = records.compactMap({ $0.entries.last?.offset }).max() {
                try partition.log.flush(through: lastCovered)
            } else {
                try partition.log.flush()
            }
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
