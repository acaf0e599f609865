import Foundation
import KafkaProtocol
import NIOCore
import Testing
@testable import LogStore

@Suite struct PartitionLogTests {
    let temp = TempDirectory()

    func makeLog(_ config: LogConfig = LogConfig(), topic: String = "t") throws -> (LogManager, PartitionLog) {
        let manager = try LogManager(dataDirectory: temp.path, logger: testLogger)
        return (manager, try manager.createLog(topic: topic, partition: 0, config: config))
    }

    @Test func appendAndReadRoundTripAssignsOffsets() throws {
        let (_, log) = try makeLog()
        let first = try log.append(TestBatch.make(records: 3), now: 0)
        #expect(first == AppendResult(baseOffset: 0, lastOffset: 2, logAppendTime: -1, logStartOffset: 0, isDuplicate: false))
        // Two batches in one append, as a Produce request may carry them.
        var two = TestBatch.make(records: 2)
        var second = TestBatch.make(records: 4)
        two.writeBuffer(&second)
        let result = try log.append(two, now: 0)
        #expect(result.baseOffset == 3 && result.lastOffset == 8)
        #expect(log.logEndOffset == 9)
        #expect(log.highWatermark == 9)

        let headers = TestBatch.headers(in: try log.read(from: 0, maxBytes: 1 << 20))
        #expect(headers.map(\.baseOffset) == [0, 3, 5])
        #expect(headers.map(\.lastOffset) == [2, 4, 8])
        #expect(headers.allSatisfy { $0.partitionLeaderEpoch == 0 })
    }

    @Test func readFromMiddleOfBatchReturnsThatBatch() throws {
        let (_, log) = try makeLog()
        try log.appendBatches(3, records: 5)
        let headers = TestBatch.headers(in: try log.read(from: 7, maxBytes: 1 << 20))
        #expect(headers.first?.baseOffset == 5)
        #expect(headers.count == 2)
    }

    @Test func maxBytesIsRespectedButOneBatchAlwaysReturned() throws {
        let (_, log) = try makeLog()
        try log.appendBatches(10, valueSize: 100)
        let size = TestBatch.make(valueSize: 100).readableBytes
        #expect(TestBatch.headers(in: try log.read(from: 0, maxBytes: size * 3 + 5)).count == 3)
        #expect(TestBatch.headers(in: try log.read(from: 0, maxBytes: 1)).count == 1)
        #expect(TestBatch.headers(in: try log.read(from: 9, maxBytes: 0)).map(\.baseOffset) == [9])
        // A batch bigger than maxBytes comes back whole.
        try log.append(TestBatch.make(records: 50, valueSize: 200), now: 0)
        let big = TestBatch.headers(in: try log.read(from: 30, maxBytes: 100))
        #expect(big.map(\.baseOffset) == [10])
    }

    @Test func offsetOutOfRange() throws {
        let (_, log) = try makeLog()
        try log.appendBatches(3)
        #expect(try log.read(from: 3, maxBytes: 100).readableBytes == 0)
        #expect(throws: LogReadError.offsetOutOfRange(offset: 4, logStartOffset: 0, logEndOffset: 3)) {
            try log.read(from: 4, maxBytes: 100)
        }
        #expect(throws: LogReadError.offsetOutOfRange(offset: -1, logStartOffset: 0, logEndOffset: 3)) {
            try log.read(from: -1, maxBytes: 100)
        }
    }

    @Test func rollsBySize() throws {
        let batchSize = TestBatch.make(valueSize: 100).readableBytes
        let (_, log) = try makeLog(LogConfig(segmentBytes: batchSize * 4))
        try log.appendBatches(10, valueSize: 100)
        #expect(log.segmentBaseOffsets == [0, 4, 8])
        for segment in log.segmentBaseOffsets {
            #expect(try fileSize(log.segmentPath(segment)) <= batchSize * 4)
        }
        for offset in Int64(0)..<10 {
            #expect(TestBatch.headers(in: try log.read(from: offset, maxBytes: 1)).first?.baseOffset == offset)
        }
    }

    @Test func rollsByTime() throws {
        let (_, log) = try makeLog(LogConfig(segmentMs: 1_000))
        try log.append(TestBatch.make(), now: 10_000)
        try log.append(TestBatch.make(), now: 10_900)
        #expect(log.segmentBaseOffsets == [0])
        try log.append(TestBatch.make(), now: 11_001)
        #expect(log.segmentBaseOffsets == [0, 2])
        try log.append(TestBatch.make(), now: 11_500)
        #expect(log.segmentBaseOffsets == [0, 2])
    }

    @Test func indexLookupAcrossManySegments() throws {
        let (_, log) = try makeLog(LogConfig(segmentBytes: 8_192, indexIntervalBytes: 300))
        var expected: [(base: Int64, last: Int64)] = []
        for i in 0..<400 {
            let result = try log.append(TestBatch.make(records: 1 + i % 7, valueSize: 5 + i % 40), now: 0)
            expected.append((result.baseOffset, result.lastOffset))
        }
        let segments = log.segmentBaseOffsets
        #expect(segments.count > 5)
        #expect(try fileSize(log.segmentPath(segments[1], ".index")) > 0)
        for (base, last) in expected {
            for offset in [base, last] {
                let headers = TestBatch.headers(in: try log.read(from: offset, maxBytes: 1))
                #expect(headers.count == 1 && headers[0].baseOffset == base, "offset \(offset)")
            }
        }
        // The index holds only entries at batch starts, in order.
        let segment = log.lock.withLock { log.segments[1] }
        #expect(segment.offsetIndex.entries.count > 3)
    }

    @Test func timestampLookup() throws {
        let (_, log) = try makeLog(LogConfig(segmentBytes: 1_000, indexIntervalBytes: 100))
        for i in 0..<50 {
            // Batch i has records at 10_000 + 100*i and +1 (two records).
            try log.append(TestBatch.make(records: 2, baseTimestamp: 10_000 + 100 * Int64(i)), now: 0)
        }
        #expect(log.segmentBaseOffsets.count > 3)
        // Lookups are exact to the record, as Kafka's are, not to the batch.
        #expect(try log.offset(forTimestamp: 0).map { [$0.offset, $0.timestamp] } == [0, 10_000])
        #expect(try log.offset(forTimestamp: 10_001).map { [$0.offset, $0.timestamp] } == [1, 10_001])
        #expect(try log.offset(forTimestamp: 10_002).map { [$0.offset, $0.timestamp] } == [2, 10_100])
        for i in 0..<50 {
            let ts = 10_000 + 100 * Int64(i)
            #expect(try log.offset(forTimestamp: ts)?.offset == Int64(2 * i))
            #expect(try log.offset(forTimestamp: ts - 50)?.offset == Int64(2 * i))
        }
        #expect(try log.offset(forTimestamp: 20_000) == nil)
        #expect(log.earliestOffset == 0 && log.latestOffset == 100)
        #expect(try log.maxTimestampEntry().map { [$0.offset, $0.timestamp] } == [99, 14_901])
    }

    @Test func logAppendTimeStampsBatches() throws {
        let (_, log) = try makeLog()
        let result = try log.append(TestBatch.make(records: 2), now: 123_456, logAppendTime: true)
        #expect(result.logAppendTime == 123_456)
        let header = TestBatch.headers(in: try log.read(from: 0, maxBytes: 1000))[0]
        #expect(header.maxTimestamp == 123_456 && header.isLogAppendTime)
    }

    @Test func rejectsMalformedAndOversizedBatches() throws {
        let (_, log) = try makeLog(LogConfig(maxMessageBytes: 200))
        #expect(throws: LogAppendError.batchTooLarge(size: TestBatch.make(valueSize: 300).readableBytes, maxMessageBytes: 200)) {
            try log.append(TestBatch.make(valueSize: 300), now: 0)
        }
        var truncated = TestBatch.make()
        truncated.moveWriterIndex(to: truncated.writerIndex - 3)
        #expect(throws: LogAppendError.self) { try log.append(truncated, now: 0) }
        #expect(throws: LogAppendError.self) { try log.append(ByteBuffer(), now: 0) }
        #expect(log.logEndOffset == 0)
    }

    @Test func deleteRecordsAdvancesStartAndDeletesSegments() throws {
        let batchSize = TestBatch.make().readableBytes
        let (manager, log) = try makeLog(LogConfig(segmentBytes: batchSize * 3))
        try log.appendBatches(10)
        #expect(log.segmentBaseOffsets == [0, 3, 6, 9])
        #expect(try log.deleteRecords(before: 7) == 7)
        #expect(log.logStartOffset == 7)
        #expect(log.segmentBaseOffsets == [6, 9])
        #expect(!FileManager.default.fileExists(atPath: log.segmentPath(0)))
        #expect(throws: LogReadError.self) { try log.read(from: 6, maxBytes: 100) }
        #expect(TestBatch.headers(in: try log.read(from: 7, maxBytes: 1)).first?.baseOffset == 7)
        #expect(try log.deleteRecords(before: 2) == 7)
        #expect(throws: LogReadError.self) { try log.deleteRecords(before: 11) }
        #expect(try log.offset(forTimestamp: 0)?.offset == 7)

        // Persisted across a restart.
        try manager.close()
        let reopened = try LogManager(dataDirectory: temp.path, logger: testLogger).log(topic: "t", partition: 0)!
        #expect(reopened.logStartOffset == 7)
        #expect(reopened.logEndOffset == 10)
    }

    @Test func retentionDeletesOldSegments() throws {
        let batchSize = TestBatch.make().readableBytes
        let (_, log) = try makeLog(LogConfig(segmentBytes: batchSize * 2, retentionMs: 1_000))
        for i in 0..<6 {
            try log.append(TestBatch.make(baseTimestamp: Int64(i) * 1_000), now: 0)
        }
        #expect(log.segmentBaseOffsets == [0, 2, 4])
        // Segment [0,1] has max timestamp 1000, [2,3] 3000.
        #expect(try log.enforceRetention(now: 2_500) == 1)
        #expect(log.logStartOffset == 2)
        #expect(try log.enforceRetention(now: 100_000) == 1)   // never the active segment
        #expect(log.segmentBaseOffsets == [4])
    }

    @Test func locateGivesWholeBatches() throws {
        let (_, log) = try makeLog()
        try log.appendBatches(5, valueSize: 100)
        let size = TestBatch.make(valueSize: 100).readableBytes
        let slice = try #require(try log.locate(offset: 1, maxBytes: size * 2 + 10))
        #expect(slice.position == size && slice.length == size * 2)
        let fd = try slice.makeFileDescriptor()
        #expect(fd >= 0)
        close(fd)
        #expect(try log.locate(offset: 5, maxBytes: 100) == nil)
    }
}
