import Foundation
import KafkaProtocol
import NIOCore
import Testing
@testable import LogStore

@Suite struct LogCleanerTests {
    let temp = TempDirectory()

    /// The cleaner thread compacts continuously while one task appends and another fetches:
    /// appends and reads never fail, every offset is read back at most once and with the value
    /// written at it, and the latest value of every key survives.
    @Test func cleaningWhileAppendingAndReadingLosesNothing() async throws {
        let manager = try LogManager(dataDirectory: temp.path, logger: testLogger)
        let log = try manager.createLog(
            topic: "busy", partition: 0,
            config: LogConfig(segmentBytes: 4_000, indexIntervalBytes: 256, cleanupPolicy: .compact))
        let clock = TestClock(10_000)
        let cleaner = LogCleaner(logManager: manager, now: { clock.now }, logger: testLogger)
        cleaner.start(interval: .milliseconds(1))
        defer { cleaner.shutdown() }

        let total = 3_000
        let keys = 37
        let writerDone = TestClock(0)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for i in 0..<total {
                    let offset = try log.appendKeyed([("k\(i % keys)", "v\(i)")], timestamp: 1_000 + Int64(i))
                    #expect(offset == Int64(i))
                    if i % 500 == 0 { clock.now += 1 }
                }
                writerDone.now = 1
            }
            group.addTask {
                while writerDone.now == 0 {
                    let records = try log.allRecords()
                    #expect(zip(records, records.dropFirst()).allSatisfy { $0.offset < $1.offset })
                    #expect(records.allSatisfy { $0.value == "v\($0.offset)" && $0.key == "k\($0.offset % Int64(keys))" })
                }
            }
            try await group.waitForAll()
        }
        // Let the running cleaner see the final state: two more passes, so one started after the
        // last append. It must have compacted the closed segments by then.
        let passes = cleaner.passCount
        let deadline = Date().addingTimeInterval(30)
        while cleaner.passCount < passes + 2 && Date() < deadline { try await Task.sleep(for: .milliseconds(2)) }
        cleaner.shutdown()
        #expect(try log.allRecords().count < total / 2)

        // Settle: close the active segment and compact once more; exactly one record per key.
        try log.forceRoll()
        try log.compact(now: clock.now + 1)
        let records = try log.allRecords()
        let expected = (total - keys..<total).map { LoggedRecord(Int64($0), "k\($0 % keys)", "v\($0)") }
        #expect(records == expected)
        #expect(log.logEndOffset == Int64(total))
    }

    @Test func startRunsPassesUntilShutdown() throws {
        let manager = try LogManager(dataDirectory: temp.path, logger: testLogger)
        let log = try manager.createLog(topic: "t", partition: 0, config: LogConfig(segmentMs: 1, retentionMs: 1))
        try log.append(TestBatch.make(baseTimestamp: 0), now: 0)
        let cleaner = LogCleaner(logManager: manager, now: { 1_000 }, logger: testLogger)
        cleaner.start(interval: .milliseconds(5))
        let deadline = Date().addingTimeInterval(20)
        while cleaner.passCount < 2 && Date() < deadline { Thread.sleep(forTimeInterval: 0.005) }
        cleaner.shutdown()
        cleaner.shutdown()
        #expect(cleaner.passCount >= 2)
        // The aged active segment was rolled and then expired.
        #expect(log.logStartOffset == 1 && log.segmentBaseOffsets == [1])
        let passes = cleaner.passCount
        Thread.sleep(forTimeInterval: 0.05)
        #expect(cleaner.passCount == passes)
    }
}
