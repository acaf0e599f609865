import Foundation
import KafkaProtocol
import NIOCore
import Testing
@testable import LogStore

/// Compaction (`cleanup.policy` compact) on a documented example, driven by an injected clock.
///
/// The example log, three segments:
///
/// | segment | batch | offsets | records                                  |
/// |---------|-------|---------|------------------------------------------|
/// | 0       | A     | 0-2     | a=a1, b=b1, c=c1                         |
/// | 0       | B     | 3-5     | a=a2, e=e1, b=b2 (gzip, idempotent pid 42)|
/// | 6       | C     | 6       | c=∅ (tombstone)                          |
/// | 6       | D     | 7-8     | a=a3, d=d1                               |
/// | 9 (active) | E  | 9       | b=b3                                     |
///
/// Compacted, with the tombstone still inside delete.retention.ms:
/// `4:e=e1, 6:c=∅, 7:a=a3, 8:d=d1, 9:b=b3` — batch A is gone, batch B keeps only e1 (still based
/// at 3, ending at 5, gzip, pid 42), the active segment is untouched even though b3 is there.
/// Once the tombstone is older than delete.retention.ms it goes too: `4:e=e1, 7:a=a3, 8:d=d1, 9:b=b3`.
@Suite struct CompactionTests {
    let temp = TempDirectory()

    static let deleteRetentionMs: Int64 = 100_000

    func makeLog(_ config: LogConfig = LogConfig(cleanupPolicy: .compact, deleteRetentionMs: deleteRetentionMs)) throws -> (LogManager, PartitionLog) {
        let manager = try LogManager(dataDirectory: temp.path, logger: testLogger)
        return (manager, try manager.createLog(topic: "c", partition: 0, config: config))
    }

    static func writeExample(_ log: PartitionLog) throws {
        try log.appendKeyed([("a", "a1"), ("b", "b1"), ("c", "c1")], timestamp: 1_000)
        try log.append(KeyedBatch.make(
            [("a", "a2"), ("e", "e1"), ("b", "b2")], timestamp: 1_001, compression: .gzip,
            producerId: 42, producerEpoch: 3, baseSequence: 0), now: 0)
        try log.forceRoll()
        try log.appendKeyed([("c", nil)], timestamp: 2_000)
        try log.appendKeyed([("a", "a3"), ("d", "d1")], timestamp: 2_001)
        try log.forceRoll()
        try log.appendKeyed([("b", "b3")], timestamp: 3_000)
        #expect(log.segmentBaseOffsets == [0, 6, 9])
    }

    static let compacted = [
        LoggedRecord(4, "e", "e1"), LoggedRecord(6, "c", nil), LoggedRecord(7, "a", "a3"),
        LoggedRecord(8, "d", "d1"), LoggedRecord(9, "b", "b3"),
    ]

    @Test func compactionKeepsLatestPerKeyWithOffsetsUnchanged() throws {
        let (manager, log) = try makeLog()
        try Self.writeExample(log)
        let cleaner = LogCleaner(logManager: manager, now: { 10_000 }, logger: testLogger)
        let result = try #require(cleaner.runOnce()[log.topicPartition])
        // Only segment 0 changes: everything in segment 6 is still the latest for its key.
        #expect(result.compaction.segmentsCleaned == 1)
        #expect(result.compaction.recordsRemoved == 5)
        #expect(result.compaction.tombstonesRemoved == 0)
        #expect(try log.allRecords() == Self.compacted)

        // Batch structure: B rewritten in place of its offsets, codec and producer fields kept.
        let headers = try log.allBatchHeaders()
        #expect(headers.map(\.baseOffset) == [3, 6, 7, 9])
        #expect(headers.map(\.lastOffset) == [5, 6, 8, 9])
        #expect(headers[0].recordCount == 1)
        #expect(headers[0].compressionCodecID == CompressionCodec.gzip.rawValue)
        #expect(headers[0].producerId == 42 && headers[0].producerEpoch == 3 && headers[0].baseSequence == 0)
        #expect(log.segmentBaseOffsets == [0, 6, 9])
        #expect(log.logStartOffset == 0 && log.logEndOffset == 10)
        // Reads inside removed ranges land on the next surviving batch.
        #expect(TestBatch.headers(in: try log.read(from: 0, maxBytes: 1)).first?.baseOffset == 3)
        #expect(TestBatch.headers(in: try log.read(from: 5, maxBytes: 1)).first?.baseOffset == 3)
        #expect(try log.offset(forTimestamp: 1_500)?.offset == 6)
        // Nothing is left to do: the next pass is skipped.
        #expect(cleaner.runOnce().isEmpty)
        #expect(try log.append(KeyedBatch.make([("f", "f1")]), now: 0).baseOffset == 10)
    }

    @Test func tombstonesGoAfterDeleteRetention() throws {
        let (_, log) = try makeLog()
        try Self.writeExample(log)
        try log.compact(now: 10_000)
        #expect(try log.allRecords() == Self.compacted)
        // Still inside delete.retention.ms: the tombstone stays.
        #expect(try log.compact(now: 2_000 + Self.deleteRetentionMs).tombstonesRemoved == 0)
        #expect(try log.allRecords() == Self.compacted)
        // Older than that: it goes, with nothing appended meanwhile (the pass is due by time).
        let result = try log.compact(now: 2_001 + Self.deleteRetentionMs)
        #expect(result.tombstonesRemoved == 1 && result.recordsRemoved == 0)
        #expect(try log.allRecords() == Self.compacted.filter { $0.offset != 6 })
    }

    @Test func minCompactionLagIsHonoured() throws {
        let (_, log) = try makeLog(LogConfig(cleanupPolicy: .compact, deleteRetentionMs: Self.deleteRetentionMs, minCompactionLagMs: 5_000))
        try Self.writeExample(log)
        try log.forceRoll()
        try log.appendKeyed([("d", "d2")], timestamp: 4_000)
        let everything = try log.allRecords()
        #expect(everything.count == 11)
        // Newest records: segment 0 at 1001, segment 6 at 2001, segment 9 at 3000.
        #expect(try log.compact(now: 6_000) == CompactionResult())
        #expect(try log.allRecords() == everything)
        // Segment 0 is old enough, segment 6 is not: only segment 0 is cleaned (still against
        // the newer values in later segments).
        #expect(try log.compact(now: 6_001).segmentsCleaned == 1)
        #expect(try log.allRecords() == [LoggedRecord(4, "e", "e1")] + everything.filter { $0.offset >= 6 })
        // Then segment 6: d1 is superseded by d2 in the active segment.
        let result = try log.compact(now: 7_001)
        #expect(result.segmentsCleaned == 1 && result.recordsRemoved == 1)
        #expect(try log.allRecords() == [
            LoggedRecord(4, "e", "e1"), LoggedRecord(6, "c", nil), LoggedRecord(7, "a", "a3"),
            LoggedRecord(9, "b", "b3"), LoggedRecord(10, "d", "d2"),
        ])
    }

    @Test func compactDeleteCombinesRetentionAndCompaction() throws {
        let (_, log) = try makeLog(LogConfig(retentionMs: 5_000, cleanupPolicy: .compactDelete, deleteRetentionMs: Self.deleteRetentionMs))
        try Self.writeExample(log)
        // At 6500 segment 0 (newest 1001) is expired; segment 6 (2001) is not, and is compacted.
        let result = try log.clean(now: 6_500)
        #expect(result.segmentsDeleted == 1)
        #expect(result.compaction.segmentsCleaned == 0)  // segment 6 has nothing superseded
        #expect(log.logStartOffset == 6)
        #expect(try log.allRecords().map(\.offset) == [6, 7, 8, 9])
        try log.appendKeyed([("a", "a4")], timestamp: 6_600)
        #expect(try log.clean(now: 6_700).compaction.recordsRemoved == 1)
        #expect(try log.allRecords() == [
            LoggedRecord(6, "c", nil), LoggedRecord(8, "d", "d1"), LoggedRecord(9, "b", "b3"), LoggedRecord(10, "a", "a4"),
        ])
    }

    @Test func keylessRecordsAreRejectedOnCompactedLogs() throws {
        let (_, log) = try makeLog()
        #expect(throws: LogAppendError.keylessRecordOnCompactedTopic) { try log.append(TestBatch.make(), now: 0) }
        #expect(throws: LogAppendError.keylessRecordOnCompactedTopic) {
            try log.append(KeyedBatch.make([("k", "v"), (nil, "v")], compression: .gzip), now: 0)
        }
        #expect(LogAppendError.keylessRecordOnCompactedTopic.kafkaErrorCode == .invalidRecord)
        #expect(log.logEndOffset == 0)
        #expect(try log.appendKeyed([("k", nil)]) == 0)
        #expect(throws: LogAppendError.keylessRecordOnCompactedTopic) { try PartitionLog.validateKeys(TestBatch.make()) }

        // A config change takes effect on the next append.
        var config = log.config
        config.cleanupPolicy = .delete
        try log.updateConfig(config)
        #expect(try log.append(TestBatch.make(), now: 0).baseOffset == 1)
        config.cleanupPolicy = .compactDelete
        try log.updateConfig(config)
        #expect(throws: LogAppendError.keylessRecordOnCompactedTopic) { try log.append(TestBatch.make(), now: 0) }
    }

    @Test func restartAfterCompactionReadsTheSameResult() throws {
        let (manager, log) = try makeLog()
        try Self.writeExample(log)
        try log.compact(now: 10_000)
        let segments = log.segmentBaseOffsets
        try manager.close()
        let names = try FileManager.default.contentsOfDirectory(atPath: log.directory)
        #expect(!names.contains { $0.hasSuffix(".cleaned") || $0.hasSuffix(".swap") })
        let reopened = try #require(try LogManager(dataDirectory: temp.path, logger: testLogger).log(topic: "c", partition: 0))
        #expect(try reopened.allRecords() == Self.compacted)
        #expect(reopened.segmentBaseOffsets == segments)
        #expect(reopened.logEndOffset == 10)
        #expect(try reopened.appendKeyed([("z", "z")]) == 10)
    }

    @Test func fullySupersededMiddleSegmentIsRemovedAndFirstIsKept() throws {
        let (_, log) = try makeLog()
        try log.appendKeyed([("a", "1")])
        try log.forceRoll()
        try log.appendKeyed([("a", "2")])
        try log.forceRoll()
        try log.appendKeyed([("b", "1")])
        try log.forceRoll()
        try log.appendKeyed([("a", "3")])
        #expect(log.segmentBaseOffsets == [0, 1, 2, 3])
        #expect(try log.compact(now: 10_000).segmentsCleaned == 2)
        // Segment 0 stays, empty, so the log start offset does not move; segment 1 is gone.
        #expect(log.segmentBaseOffsets == [0, 2, 3])
        #expect(try fileSize(log.segmentPath(0)) == 0)
        #expect(!FileManager.default.fileExists(atPath: log.segmentPath(1)))
        #expect(try log.allRecords() == [LoggedRecord(2, "b", "1"), LoggedRecord(3, "a", "3")])
        #expect(log.logStartOffset == 0)
    }

    @Test func readerHoldingTheOldSegmentKeepsReading() throws {
        let (_, log) = try makeLog()
        try Self.writeExample(log)
        let before = try log.read(from: 0, maxBytes: 1 << 20)
        let slice = try #require(try log.locate(offset: 0, maxBytes: 1 << 20))
        try log.compact(now: 10_000)
        let fd = try slice.makeFileDescriptor()
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: slice.length)
        #expect(pread(fd, &bytes, slice.length, off_t(slice.position)) == slice.length)
        #expect(bytes == Array(before.readableBytesView))
    }
}
