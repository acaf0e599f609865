import Foundation
import KafkaProtocol
import NIOCore
import Testing
@testable import LogStore

@Suite struct RecoveryTests {
    let temp = TempDirectory()

    func open() throws -> LogManager { try LogManager(dataDirectory: temp.path, logger: testLogger) }

    @Test func restartAfterCleanCloseKeepsEverything() throws {
        let config = LogConfig(segmentBytes: 2_000, indexIntervalBytes: 200, overrides: ["cleanup.policy": "compact"])
        var manager = try open()
        let log = try manager.createLog(topic: "payments.v1-eu_west", partition: 3, config: config)
        try log.appendBatches(100, records: 3, valueSize: 20)
        let before = try log.read(from: 0, maxBytes: 1 << 20)
        let segments = log.segmentBaseOffsets
        try manager.close()
        #expect(FileManager.default.fileExists(atPath: temp.path + "/.clean-shutdown"))
        #expect(throws: LogStoreError.closed) { try log.append(TestBatch.make(), now: 0) }

        manager = try open()
        #expect(!FileManager.default.fileExists(atPath: temp.path + "/.clean-shutdown"))
        let reopened = try #require(manager.log(topic: "payments.v1-eu_west", partition: 3))
        #expect(reopened.config == config)
        #expect(reopened.logEndOffset == 300)
        #expect(reopened.segmentBaseOffsets == segments)
        var all = ByteBuffer()
        var offset: Int64 = 0
        while offset < 300 {
            var chunk = try reopened.read(from: offset, maxBytes: 1 << 20)
            offset = TestBatch.headers(in: chunk).last!.lastOffset + 1
            all.writeBuffer(&chunk)
        }
        #expect(all == before || TestBatch.headers(in: all).count == 100)
        #expect(try reopened.append(TestBatch.make(), now: 0).baseOffset == 300)
        #expect(manager.topics == ["payments.v1-eu_west": 4])
    }

    @Test func restartAfterCrashKeepsFlushedBatches() throws {
        do {
            let manager = try open()
            let log = try manager.createLog(topic: "t", partition: 0)
            try log.appendBatches(20)
            try log.flush()
            // No close: the manager goes away as in a crash.
        }
        let log = try #require(try open().log(topic: "t", partition: 0))
        #expect(log.logEndOffset == 20)
        #expect(TestBatch.headers(in: try log.read(from: 0, maxBytes: 1 << 20)).count == 20)
    }

    /// Writes batches, then damages the tail of the active segment with `damage`, and reopens.
    func reopenAfterDamage(clean: Bool, _ damage: (String) throws -> Void) throws -> PartitionLog {
        do {
            let manager = try open()
            let log = try manager.createLog(topic: "t", partition: 0, config: LogConfig(indexIntervalBytes: 100))
            try log.appendBatches(10)
            if clean { try manager.close() } else { try log.flush() }
            try damage(log.segmentPath(0))
        }
        return try #require(try open().log(topic: "t", partition: 0))
    }

    @Test(arguments: [false, true])
    func garbageTailIsTruncated(clean: Bool) throws {
        let batchSize = TestBatch.make().readableBytes
        let log = try reopenAfterDamage(clean: clean) { path in
            try appendBytes(Array(repeating: 0xAB, count: 37), toFile: path)
        }
        #expect(log.logEndOffset == 10)
        #expect(try fileSize(log.segmentPath(0)) == batchSize * 10)
        #expect(TestBatch.headers(in: try log.read(from: 0, maxBytes: 1 << 20)).count == 10)
        #expect(try log.append(TestBatch.make(), now: 0).baseOffset == 10)
    }

    @Test(arguments: [false, true])
    func halfBatchIsTruncated(clean: Bool) throws {
        let log = try reopenAfterDamage(clean: clean) { path in
            var batch = TestBatch.make(valueSize: 50)
            batch.setInteger(Int64(10), at: 0, endianness: .big)
            try appendBytes(Array(batch.readableBytesView.prefix(batch.readableBytes / 2)), toFile: path)
        }
        #expect(log.logEndOffset == 10)
        #expect(try log.append(TestBatch.make(), now: 0).baseOffset == 10)
        #expect(TestBatch.headers(in: try log.read(from: 0, maxBytes: 1 << 20)).count == 11)
    }

    @Test(arguments: [false, true])
    func batchWithFlippedByteIsTruncated(clean: Bool) throws {
        let batchSize = TestBatch.make().readableBytes
        let log = try reopenAfterDamage(clean: clean) { path in
            // Flip a byte inside the value of the last batch.
            let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
            try handle.seek(toOffset: UInt64(batchSize * 10 - 3))
            let byte = try handle.read(upToCount: 1)![0]
            try handle.seek(toOffset: UInt64(batchSize * 10 - 3))
            try handle.write(contentsOf: [byte ^ 0xFF])
            try handle.close()
        }
        #expect(log.logEndOffset == 9)
        #expect(TestBatch.headers(in: try log.read(from: 0, maxBytes: 1 << 20)).count == 9)
    }

    @Test func corruptIndexIsRebuilt() throws {
        let batchSize = TestBatch.make().readableBytes
        do {
            let manager = try open()
            let log = try manager.createLog(topic: "t", partition: 0, config: LogConfig(segmentBytes: batchSize * 20, indexIntervalBytes: 100))
            try log.appendBatches(50)
            try manager.close()
            for base in log.segmentBaseOffsets {
                try appendBytes([1, 2, 3], toFile: log.segmentPath(base, ".index"))
                try appendBytes([9], toFile: log.segmentPath(base, ".timeindex"))
            }
        }
        let log = try #require(try open().log(topic: "t", partition: 0))
        #expect(log.logEndOffset == 50)
        for offset in Int64(0)..<50 {
            #expect(TestBatch.headers(in: try log.read(from: offset, maxBytes: 1)).first?.baseOffset == offset)
        }
        #expect(try fileSize(log.segmentPath(0, ".index")) % 8 == 0)
        #expect(try fileSize(log.segmentPath(0, ".index")) > 0)
    }

    @Test func missingIndexFilesAreRebuilt() throws {
        let batchSize = TestBatch.make().readableBytes
        var bases: [Int64] = []
        do {
            let manager = try open()
            let log = try manager.createLog(topic: "t", partition: 0, config: LogConfig(segmentBytes: batchSize * 20, indexIntervalBytes: 100))
            try log.appendBatches(50)
            bases = log.segmentBaseOffsets
            try manager.close()
            for base in bases {
                try FileManager.default.removeItem(atPath: log.segmentPath(base, ".index"))
                try FileManager.default.removeItem(atPath: log.segmentPath(base, ".timeindex"))
            }
        }
        let log = try #require(try open().log(topic: "t", partition: 0))
        #expect(log.segmentBaseOffsets == bases)
        #expect(try log.offset(forTimestamp: 1_000)?.offset == 0)
        for offset in Int64(0)..<50 {
            #expect(TestBatch.headers(in: try log.read(from: offset, maxBytes: 1)).first?.baseOffset == offset)
        }
    }

    @Test func topicPartitionParsing() {
        #expect(TopicPartition(directoryName: "a-b.c_d-12") == TopicPartition(topic: "a-b.c_d", partition: 12))
        #expect(TopicPartition(directoryName: "orders-0") == TopicPartition(topic: "orders", partition: 0))
        #expect(TopicPartition(directoryName: "orders-0.deleted") == nil)
        #expect(TopicPartition(directoryName: "orders") == nil)
        #expect(TopicPartition(directoryName: "-3") == nil)
        #expect(TopicPartition(directoryName: "bad topic-3") == nil)
    }

    @Test func managerCreatesDeletesAndRejects() throws {
        let manager = try open()
        let a = try manager.createLog(topic: "x", partition: 0)
        #expect(try manager.createLog(topic: "x", partition: 0) === a)
        try manager.createLog(topic: "x", partition: 1)
        try manager.createLog(topic: "y", partition: 0)
        #expect(manager.allLogs.map(\.topicPartition.description) == ["x-0", "x-1", "y-0"])
        #expect(throws: LogStoreError.invalidTopicName("no/slash")) { try manager.createLog(topic: "no/slash", partition: 0) }
        #expect(throws: LogStoreError.invalidTopicName("..")) { try manager.createLog(topic: "..", partition: 0) }
        #expect(try manager.deleteTopic("x") == 2)
        #expect(manager.log(topic: "x", partition: 0) == nil)
        #expect(!FileManager.default.fileExists(atPath: temp.path + "/x-0"))
        try manager.close()
        #expect(try open().allLogs.map(\.topic) == ["y"])
    }
}
