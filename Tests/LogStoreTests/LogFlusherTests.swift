import Foundation
import NIOCore
import Testing
@testable import LogStore

@Suite struct LogFlusherTests {
    let temp = TempDirectory()

    /// The audit chain's checkpoints flush through the records they cover: no second fsync
    /// when group commit already made them durable, one when it has not.
    @Test func flushThroughSkipsRecordsAlreadyDurable() throws {
        let manager = try LogManager(dataDirectory: temp.path, logger: testLogger)
        let log = try manager.createLog(topic: "f", partition: 0)
        let first = try log.append(TestBatch.make(records: 3), now: 0)
        try log.flush()
        let syncs = log.fsyncCount
        let second = try log.append(TestBatch.make(records: 2), now: 0)
        try log.flush(through: first.lastOffset)
        #expect(log.fsyncCount == syncs)
        #expect(log.flushedOffset == first.lastOffset + 1)
        try log.flush(through: second.lastOffset)
        #expect(log.fsyncCount == syncs + 1)
        #expect(log.flushedOffset == second.lastOffset + 1)
    }

    @Test func concurrentWaitersShareFsyncs() async throws {
        let manager = try LogManager(dataDirectory: temp.path, logger: testLogger)
        let log = try manager.createLog(topic: "g", partition: 0)
        let flusher = LogFlusher(logger: testLogger)
        defer { flusher.shutdown() }
        let waiters = 200
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<waiters {
                group.addTask {
                    let result = try log.append(TestBatch.make(valueSize: 100), now: 0)
                    try await flusher.waitUntilDurable(log, upTo: result.lastOffset)
                    #expect(log.flushedOffset > result.lastOffset)
                }
            }
            try await group.waitForAll()
        }
        #expect(log.flushedOffset == Int64(waiters))
        #expect(flusher.fsyncCount >= 1)
        #expect(flusher.fsyncCount < waiters)
        #expect(log.fsyncCount == flusher.fsyncCount)
    }

    @Test func queuedRequestsAreBatchedIntoOneFsync() throws {
        let manager = try LogManager(dataDirectory: temp.path, logger: testLogger)
        let log = try manager.createLog(topic: "g", partition: 0)
        let other = try manager.createLog(topic: "g", partition: 1)
        let flusher = LogFlusher(logger: testLogger)
        let done = DispatchGroup()
        let failures = NSLock()
        nonisolated(unsafe) var errors = 0
        for _ in 0..<50 {
            let result = try log.append(TestBatch.make(), now: 0)
            try other.append(TestBatch.make(), now: 0)
            done.enter()
            flusher.awaitDurable(log, upTo: result.lastOffset) { error in
                if error != nil { failures.withLock { errors += 1 } }
                done.leave()
            }
            done.enter()
            flusher.awaitDurable(other, upTo: result.lastOffset) { error in
                if error != nil { failures.withLock { errors += 1 } }
                done.leave()
            }
        }
        #expect(done.wait(timeout: .now() + 30) == .success)
        #expect(errors == 0)
        // 100 waiters; each round covers everything appended before it, so far fewer fsyncs.
        #expect(flusher.fsyncCount < 100)
        // Already durable: completes immediately without another fsync.
        let before = flusher.fsyncCount
        let immediate = DispatchSemaphore(value: 0)
        flusher.awaitDurable(log, upTo: 10) { _ in immediate.signal() }
        immediate.wait()
        #expect(flusher.fsyncCount == before)

        flusher.shutdown()
        try log.append(TestBatch.make(), now: 0)
        let closed = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var afterShutdown: (any Error)?
        flusher.awaitDurable(log, upTo: log.logEndOffset - 1) { afterShutdown = $0; closed.signal() }
        closed.wait()
        #expect(afterShutdown as? LogStoreError == .closed)
    }
}
