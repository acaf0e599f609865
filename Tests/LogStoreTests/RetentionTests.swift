import Foundation
import KafkaProtocol
import NIOCore
import Testing
@testable import LogStore

/// Retention (`cleanup.policy` delete) driven by an injected clock: whole closed segments only.
@Suite struct RetentionTests {
    let temp = TempDirectory()

    func makeLog(_ config: LogConfig) throws -> (LogManager, PartitionLog) {
        let manager = try LogManager(dataDirectory: temp.path, logger: testLogger)
        return (manager, try manager.createLog(topic: "r", partition: 0, config: config))
    }

    /// Five segments of two batches each; batch i has timestamp i * 1000.
    func fillSegments(_ log: PartitionLog) throws {
        for i in 0..<10 {
            try log.append(TestBatch.make(baseTimestamp: Int64(i) * 1_000), now: 0)
            if i % 2 == 1 && i < 9 { try log.forceRoll() }
        }
        #expect(log.segmentBaseOffsets == [0, 2, 4, 6, 8])
    }

    @Test func timeRetentionDeletesExactlyTheExpiredClosedSegments() throws {
        let (manager, log) = try makeLog(LogConfig(retentionMs: 2_500))
        try fillSegments(log)
        // Segment max timestamps: 1000, 3000, 5000, 7000, active 9000. Cut-off 6000 - 2500 = 3500.
        let cleaner = LogCleaner(logManager: manager, now: { 6_000 }, logger: testLogger)
        let result = cleaner.runOnce()
        #expect(result[log.topicPartition]?.segmentsDeleted == 2)
        #expect(log.segmentBaseOffsets == [4, 6, 8])
        #expect(log.logStartOffset == 4)
        #expect(!FileManager.default.fileExists(atPath: log.segmentPath(0)))
        #expect(!FileManager.default.fileExists(atPath: log.segmentPath(2)))
        #expect(FileManager.default.fileExists(atPath: log.segmentPath(4)))
        #expect(try log.allBatchHeaders().map(\.baseOffset) == [4, 5, 6, 7, 8, 9])
        // Nothing more expired at the same time: a second pass is a no-op.
        #expect(cleaner.runOnce().isEmpty)

        // Far in the future every closed segment expires, the active one never does.
        #expect(try log.enforceRetention(now: 1_000_000) == 2)
        #expect(log.segmentBaseOffsets == [8])
        #expect(try log.allRecords().map(\.offset) == [8, 9])

        // The log start offset is persisted.
        try manager.close()
        let reopened = try LogManager(dataDirectory: temp.path, logger: testLogger).log(topic: "r", partition: 0)!
        #expect(reopened.logStartOffset == 8)
        #expect(reopened.segmentBaseOffsets == [8])
    }

    @Test func sizeRetentionDeletesOldestWhileOverTheLimit() throws {
        let batchSize = TestBatch.make().readableBytes
        // Ten batches in five segments = 10 batches of bytes; keep at most 5.5 batches' worth.
        let (_, log) = try makeLog(LogConfig(retentionBytes: Int64(batchSize * 11 / 2)))
        try fillSegments(log)
        // Kafka's rule: delete a segment only while the log stays at or above the limit without
        // it: 10 → 8 → 6 batches; dropping to 4 would undershoot 5.5.
        #expect(try log.enforceRetention(now: 0) == 2)
        #expect(log.segmentBaseOffsets == [4, 6, 8])
        #expect(log.sizeInBytes == batchSize * 6)
        #expect(log.logStartOffset == 4)
        // With a limit below one segment, everything but the active segment goes.
        var config = log.config
        config.retentionBytes = 1
        try log.updateConfig(config)
        #expect(try log.enforceRetention(now: 0) == 2)
        #expect(log.segmentBaseOffsets == [8])
    }

    @Test func agedActiveSegmentIsRolledThenDeleted() throws {
        let (manager, log) = try makeLog(LogConfig(segmentMs: 1_000, retentionMs: 5_000))
        let clock = TestClock(10_000)
        try log.append(TestBatch.make(baseTimestamp: 10_000), now: clock.now)
        try log.append(TestBatch.make(baseTimestamp: 10_001), now: clock.now)
        let cleaner = LogCleaner(logManager: manager, now: { clock.now }, logger: testLogger)

        // Young: nothing happens.
        clock.now = 10_500
        #expect(cleaner.runOnce().isEmpty)
        #expect(log.segmentBaseOffsets == [0])

        // Older than segment.ms but not expired: rolled, kept.
        clock.now = 11_500
        #expect(cleaner.runOnce()[log.topicPartition] == LogCleaningResult(rolled: true))
        #expect(log.segmentBaseOffsets == [0, 2])
        #expect(try log.allRecords().count == 2)

        // Expired: the closed segment goes; the new, empty active segment stays.
        clock.now = 15_002
        #expect(cleaner.runOnce()[log.topicPartition]?.segmentsDeleted == 1)
        #expect(log.segmentBaseOffsets == [2])
        #expect(log.logStartOffset == 2 && log.logEndOffset == 2)
        #expect(try log.append(TestBatch.make(), now: clock.now).baseOffset == 2)
    }

    @Test func retentionIsOffForCompactOnlyAndFollowsConfigChanges() throws {
        let (_, log) = try makeLog(LogConfig(retentionMs: 1, cleanupPolicy: .compact))
        for i in 0..<4 {
            try log.appendKeyed([("k\(i)", "v")], timestamp: 1_000)
            try log.forceRoll()
        }
        #expect(try log.enforceRetention(now: 1_000_000) == 0)
        var config = log.config
        config.cleanupPolicy = .compactDelete
        try log.updateConfig(config)
        #expect(try log.enforceRetention(now: 1_000_000) == 4)
        #expect(log.logStartOffset == 4)
    }
}
