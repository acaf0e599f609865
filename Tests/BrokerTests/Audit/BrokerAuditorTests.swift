import AuditChain
import Foundation
import KafkaProtocol
import LogStore
import Logging
import NIOCore
import Testing
@testable import Broker

/// How the broker cuts its chain into `__audit` records.
@Suite struct BrokerAuditorTests {
    private struct Fixture {
        let directory: String
        let logs: LogManager
        let data: PartitionLog
        let auditLog: PartitionLog
        let auditor: BrokerAuditor

        init(checkpointEveryRecords: Int) throws {
            directory = NSTemporaryDirectory() + "auditor-\(UUID().uuidString)"
            logs = try LogManager(dataDirectory: directory)
            data = try logs.createLog(topic: "payments", partition: 0)
            auditLog = try logs.createLog(topic: BrokerAuditor.topic, partition: 0)
            var settings = BrokerAuditor.Settings()
            settings.checkpointEveryRecords = checkpointEveryRecords
            auditor = BrokerAuditor(signingKey: .generate(), auditLog: auditLog, settings: settings, logger: Logger(label: "test"))
            try auditor.resume(auditedLogs: [data])
        }

        func produce(records: Int, valueBytes: Int = 16) throws {
            var builder = RecordBatchBuilder()
            for _ in 0..<records {
                builder.append(key: nil, value: ByteBuffer(repeating: 7, count: valueBytes), timestamp: 1_700_000_000_000)
            }
            _ = try auditor.append(try builder.build(), to: data, audited: true, now: 1_700_000_000_000)
        }

        /// The `__audit` records written so far, in order.
        func auditRecords() throws -> [AuditRecord] {
            var records: [AuditRecord] = []
            try auditLog.forEachRecord { record in
                if let value = record.value { records.append(try AuditRecord(decodingValue: value)) }
            }
            return records
        }

        func remove() { try? FileManager.default.removeItem(atPath: directory) }

        /// A second auditor over the same logs, as after a restart.
        func restartedAuditor(checkpointEveryRecords: Int) throws -> BrokerAuditor {
            var settings = BrokerAuditor.Settings()
            settings.checkpointEveryRecords = checkpointEveryRecords
            let restarted = BrokerAuditor(signingKey: .generate(), auditLog: auditLog, settings: settings, logger: Logger(label: "test"))
            try restarted.resume(auditedLogs: [data])
            return restarted
        }
    }

    @Test func checkpointsFallEveryNRecordsEvenInsideOneBatch() throws {
        let fixture = try Fixture(checkpointEveryRecords: 7)
        defer { fixture.remove() }
        try fixture.produce(records: 30)
        fixture.auditor.checkpointDue(now: 1_700_000_000_001, force: true)  // waits for the chaining queue
        let records = try fixture.auditRecords()
        #expect(records.map(\.entries.count) == [7, 7, 7, 7, 2])
        #expect(records.map(\.checkpoint.checkpoint.treeSize) == [7, 14, 21, 28, 30])
        #expect(records.flatMap(\.entries).map(\.offset) == Array(0..<30))
        // Each checkpoint links to the one before it.
        for (previous, next) in zip(records, records.dropFirst()) {
            #expect(next.checkpoint.checkpoint.previousCheckpointHash == previous.checkpoint.checkpoint.hash)
        }
    }

    /// A checkpoint never covers records a power loss could take back, but when group commit
    /// has already fsynced them the checkpoint does not fsync the log again.
    @Test func checkpointsFsyncOnlyRecordsNotYetDurable() throws {
        let fixture = try Fixture(checkpointEveryRecords: 1_000)
        defer { fixture.remove() }
        try fixture.produce(records: 10)
        try fixture.data.flush()
        // A record appended after group commit's fsync, not yet chained (as while another
        // connection's batch is being hashed): a plain flush would fsync for it.
        var later = RecordBatchBuilder()
        later.append(key: nil, value: ByteBuffer(repeating: 7, count: 16), timestamp: 1_700_000_000_000)
        _ = try fixture.data.append(try later.build(), now: 1_700_000_000_000)
        let syncs = fixture.data.fsyncCount
        fixture.auditor.checkpointDue(now: 1_700_000_000_001, force: true)
        #expect(try fixture.auditRecords().count == 1)
        #expect(fixture.data.fsyncCount == syncs)

        try fixture.produce(records: 10)
        fixture.auditor.checkpointDue(now: 1_700_000_000_002, force: true)
        #expect(try fixture.auditRecords().count == 2)
        #expect(fixture.data.fsyncCount == syncs + 1)
        #expect(fixture.data.flushedOffset == 21)
    }

    /// Batches of one partition produced from several threads at once are hashed concurrently
    /// but enter the chain in offset order: the checkpoints cover every offset once, in order,
    /// and the final root is that of the log's records chained one by one.
    @Test func concurrentProducersToOnePartitionChainInOffsetOrder() throws {
        let fixture = try Fixture(checkpointEveryRecords: 50)
        defer { fixture.remove() }
        let batches = 200
        DispatchQueue.concurrentPerform(iterations: batches) { index in
            // Sizes differ so that hashing finishes out of append order.
            try! fixture.produce(records: 1 + (index * 7) % 23, valueBytes: 1 + (index * 131) % 3_000)
        }
        fixture.auditor.checkpointDue(now: 1_700_000_000_001, force: true)
        let records = try fixture.auditRecords()
        let total = (0..<batches).reduce(0) { $0 + 1 + ($1 * 7) % 23 }
        #expect(records.flatMap(\.entries).map(\.offset) == Array(0..<Int64(total)))
        #expect(records.dropLast().allSatisfy { $0.entries.count == 50 })
        var expected = PartitionChainer(topic: "payments", partition: 0)
        try fixture.data.forEachRecord(from: 0) { try expected.append($0) }
        let last = try #require(records.last?.checkpoint.checkpoint)
        #expect(last.treeSize == UInt64(total))
        #expect(last.rootHash == (try expected.makeCheckpoint(timestampMs: 0, signingKey: .generate())).checkpoint.checkpoint.rootHash)
    }

    /// A checkpoint too big for `__audit`'s max.message.bytes could never be stored; it used to be
    /// retried with every later batch, stalling the chain. A larger setting is capped instead.
    @Test func noCheckpointOutgrowsTheAuditTopic() throws {
        let cap = BrokerAuditor.maxRecordsPerCheckpoint
        let fixture = try Fixture(checkpointEveryRecords: 10 * cap)
        defer { fixture.remove() }
        try fixture.produce(records: 2 * cap + 5, valueBytes: 1)
        fixture.auditor.checkpointDue(now: 1_700_000_000_001, force: true)
        let records = try fixture.auditRecords()
        #expect(records.map(\.entries.count) == [cap, cap, 5])
        #expect(records.last?.checkpoint.checkpoint.treeSize == UInt64(2 * cap + 5))
    }

    /// A stored batch whose third record does not parse (only a bug can store one: the
    /// produce path parses every batch first) still gets its first two records chained.
    @Test func recordsBeforeOneThatDoesNotParseAreChained() throws {
        let fixture = try Fixture(checkpointEveryRecords: 100)
        defer { fixture.remove() }
        var builder = RecordBatchBuilder()
        for _ in 0..<4 {
            builder.append(key: nil, value: ByteBuffer(repeating: 7, count: 16), timestamp: 1_700_000_000_000)
        }
        var batch = try builder.build()
        // Records start after the 61-byte batch header; each is 23 bytes (a length byte, then
        // attributes, two deltas, a null key, the value's length and 16 bytes, the header count).
        // The third record's header count becomes 1, with no header after it.
        let headerCountIndex = batch.readerIndex + 61 + 2 * 23 + 22
        #expect(batch.getInteger(at: headerCountIndex, as: UInt8.self) == 0)
        batch.setInteger(UInt8(2), at: headerCountIndex)
        let crc = try #require(RecordBatchHeader.computeCRC(buffer: batch, at: batch.readerIndex, totalSize: batch.readableBytes))
        batch.setInteger(crc, at: batch.readerIndex + RecordBatchHeader.crcOffset)
        _ = try fixture.auditor.append(batch, to: fixture.data, audited: true, now: 1_700_000_000_000)
        fixture.auditor.checkpointDue(now: 1_700_000_000_001, force: true)
        let entries = try fixture.auditRecords().flatMap(\.entries)
        #expect(entries.map(\.offset) == [0, 1])
    }

    /// A crash can leave more records unchained than one checkpoint may hold (the chaining
    /// backlog alone is up to 64 MiB); the restart must cut them like live appends, or the final
    /// checkpoint cannot be stored and verification reports records beyond it.
    @Test func recordsLeftUnchainedByACrashAreCheckpointedInBoundedPieces() throws {
        let cap = BrokerAuditor.maxRecordsPerCheckpoint
        let fixture = try Fixture(checkpointEveryRecords: 10 * cap)
        defer { fixture.remove() }
        try fixture.produce(records: 3)
        fixture.auditor.checkpointDue(now: 1_700_000_000_001, force: true)
        // Appended to the log but never chained, as when eventd is killed with hashing behind.
        var builder = RecordBatchBuilder()
        for _ in 0..<(2 * cap + 5) {
            builder.append(key: nil, value: ByteBuffer(repeating: 1, count: 1), timestamp: 1_700_000_000_000)
        }
        try fixture.data.append(try builder.build(), now: 1_700_000_000_000)
        let restarted = try fixture.restartedAuditor(checkpointEveryRecords: 10 * cap)
        restarted.checkpointDue(now: 1_700_000_000_002, force: true)
        let records = try fixture.auditRecords()
        #expect(records.map(\.entries.count) == [3, cap, cap, 5])
        #expect(records.last?.checkpoint.checkpoint.treeSize == UInt64(2 * cap + 8))
        #expect(records.flatMap(\.entries).map(\.offset) == Array(0..<Int64(2 * cap + 8)))
    }
}
