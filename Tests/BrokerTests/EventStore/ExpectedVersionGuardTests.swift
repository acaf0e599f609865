import Dispatch
import Foundation
import KafkaProtocol
import LogStore
import NIOConcurrencyHelpers
import NIOCore
import Testing
@testable import Broker

/// The broker side of expected-version appends: the rule, all-or-nothing batches, atomicity
/// under concurrent appends, and the versions rebuilt from the log after a restart and
/// after compaction.
@Suite struct ExpectedVersionGuardTests {
    let directory: String

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("version-guard-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    /// One batch of event records, each `(aggregate id, aggregate version)`; key = aggregate id.
    static func batch(_ records: [(String, Int64)], extraHeaders: [RecordHeader] = [], compression: CompressionCodec = .none) throws -> ByteBuffer {
        var builder = RecordBatchBuilder(compression: compression)
        for (aggregateID, version) in records {
            builder.append(
                key: ByteBuffer(string: aggregateID), value: ByteBuffer(string: "{}"),
                headers: [
                    RecordHeader(key: "event-id", value: ByteBuffer(string: UUID().uuidString)),
                    RecordHeader(key: "aggregate-id", value: ByteBuffer(string: aggregateID)),
                    RecordHeader(key: "aggregate-version", value: ByteBuffer(string: String(version))),
                ] + extraHeaders,
                timestamp: 1_000)
        }
        return try builder.build()
    }

    func makeLog(_ config: LogConfig = LogConfig()) throws -> (LogManager, PartitionLog) {
        let manager = try LogManager(dataDirectory: directory)
        return (manager, try manager.log(topic: "events", partition: 0) ?? manager.createLog(topic: "events", partition: 0, config: config))
    }

    @discardableResult
    func append(_ guardian: ExpectedVersionGuard, _ log: PartitionLog, _ records: [(String, Int64)], enforced: Bool = true) throws -> AppendResult {
        let batch = try Self.batch(records)
        return try guardian.append(batch, to: log, enforced: enforced) { try log.append(batch, now: 1_000) }
    }

    @Test func acceptsEachAggregatesNextVersion() throws {
        let (_, log) = try makeLog()
        let guardian = ExpectedVersionGuard()
        try append(guardian, log, [("a", 1)])
        try append(guardian, log, [("b", 1), ("a", 2), ("a", 3)])
        try append(guardian, log, [("b", 2)])
        #expect(log.logEndOffset == 5)
    }

    @Test func refusesAStaleOrSkippedVersionNamingAggregateExpectedAndActual() throws {
        let (_, log) = try makeLog()
        let guardian = ExpectedVersionGuard()
        try append(guardian, log, [("acct-1", 1), ("acct-1", 2)])
        #expect(throws: ExpectedVersionConflict.versionMismatch(aggregateID: "acct-1", expected: 1, actual: 2, offered: 2)) {
            try append(guardian, log, [("acct-1", 2)])
        }
        #expect(throws: ExpectedVersionConflict.versionMismatch(aggregateID: "acct-1", expected: 3, actual: 2, offered: 4)) {
            try append(guardian, log, [("acct-1", 4)])
        }
        #expect(throws: ExpectedVersionConflict.versionMismatch(aggregateID: "new", expected: 1, actual: 0, offered: 2)) {
            try append(guardian, log, [("new", 2)])
        }
        #expect(log.logEndOffset == 2)
        let message = ExpectedVersionConflict.versionMismatch(aggregateID: "acct-1", expected: 1, actual: 2, offered: 2).description
        #expect(message.contains("'acct-1'") && message.contains("expected version 1") && message.contains("actual version 2"))
    }

    @Test func aBatchIsAllOrNothing() throws {
        let (_, log) = try makeLog()
        let guardian = ExpectedVersionGuard()
        try append(guardian, log, [("a", 1)])
        // b@1 is fine on its own, a@1 is stale: neither is stored.
        #expect(throws: ExpectedVersionConflict.self) { try append(guardian, log, [("b", 1), ("a", 1)]) }
        // Two records of one aggregate in a batch must follow each other too.
        #expect(throws: ExpectedVersionConflict.self) { try append(guardian, log, [("b", 1), ("b", 3)]) }
        #expect(log.logEndOffset == 1)
        try append(guardian, log, [("b", 1), ("b", 2)])
        #expect(log.logEndOffset == 3)
    }

    @Test func checksCompressedBatches() throws {
        let (_, log) = try makeLog()
        let guardian = ExpectedVersionGuard()
        for version in 1...2 {
            let batch = try Self.batch([("z", Int64(version))], compression: .gzip)
            try guardian.append(batch, to: log, enforced: true) { try log.append(batch, now: 1_000) }
        }
        let stale = try Self.batch([("z", 2)], compression: .gzip)
        #expect(throws: ExpectedVersionConflict.self) {
            try guardian.append(stale, to: log, enforced: true) { try log.append(stale, now: 1_000) }
        }
    }

    @Test func recordsWithoutBothHeadersAndTopicsThatDidNotOptInAreNotChecked() throws {
        let (_, log) = try makeLog()
        let guardian = ExpectedVersionGuard()
        var builder = RecordBatchBuilder()
        builder.append(key: nil, value: ByteBuffer(string: "plain"), headers: [RecordHeader(key: "aggregate-id", value: ByteBuffer(string: "a"))], timestamp: 1)
        let plain = try builder.build()
        try guardian.append(plain, to: log, enforced: true) { try log.append(plain, now: 1_000) }
        try append(guardian, log, [("a", 7)], enforced: false)
        try append(guardian, log, [("a", 7)], enforced: false)
        #expect(log.logEndOffset == 3)
    }

    @Test func refusesAMalformedVersion() throws {
        let (_, log) = try makeLog()
        var builder = RecordBatchBuilder()
        builder.append(
            key: ByteBuffer(string: "a"), value: nil,
            headers: [
                RecordHeader(key: "aggregate-id", value: ByteBuffer(string: "a")),
                RecordHeader(key: "aggregate-version", value: ByteBuffer(string: "one")),
            ], timestamp: 1)
        let batch = try builder.build()
        #expect(throws: ExpectedVersionConflict.malformedVersion(aggregateID: "a", text: "one")) {
            try ExpectedVersionGuard().append(batch, to: log, enforced: true) { try log.append(batch, now: 1_000) }
        }
        #expect(log.logEndOffset == 0)
    }

    /// Many threads append the same next version at once: the check and the append are one
    /// step, so exactly one wins each round.
    @Test func concurrentAppendsOfTheSameVersionHaveExactlyOneWinner() throws {
        let (_, log) = try makeLog()
        let guardian = ExpectedVersionGuard()
        for round in Int64(1)...50 {
            let successes = NIOLockedValueBox(0)
            let conflicts = NIOLockedValueBox(0)
            let batches = try (0..<8).map { _ in try Self.batch([("hot", round)]) }
            DispatchQueue.concurrentPerform(iterations: 8) { writer in
                do {
                    try guardian.append(batches[writer], to: log, enforced: true) { try log.append(batches[writer], now: 1_000) }
                    successes.withLockedValue { $0 += 1 }
                } catch is ExpectedVersionConflict {
                    conflicts.withLockedValue { $0 += 1 }
                } catch {
                    Issue.record("unexpected \(error)")
                }
            }
            #expect(successes.withLockedValue { $0 } == 1)
            #expect(conflicts.withLockedValue { $0 } == 7)
        }
        #expect(log.logEndOffset == 50)
    }

    @Test func versionsAreRebuiltFromTheLogAfterARestart() throws {
        do {
            let (manager, log) = try makeLog()
            let guardian = ExpectedVersionGuard()
            try append(guardian, log, [("a", 1), ("a", 2), ("b", 1)])
            try manager.close()
        }
        let (_, reopened) = try makeLog()
        let fresh = ExpectedVersionGuard()
        #expect(throws: ExpectedVersionConflict.versionMismatch(aggregateID: "a", expected: 1, actual: 2, offered: 2)) {
            try append(fresh, reopened, [("a", 2)])
        }
        try append(fresh, reopened, [("a", 3), ("b", 2)])
    }

    @Test func appendsMadeBeforeOptingInAreCaughtUp() throws {
        let (_, log) = try makeLog()
        let guardian = ExpectedVersionGuard()
        try append(guardian, log, [("a", 1)])
        try append(guardian, log, [("a", 2)], enforced: false)
        #expect(throws: ExpectedVersionConflict.self) { try append(guardian, log, [("a", 2)]) }
        try append(guardian, log, [("a", 3)])
    }

    /// Compaction keeps only each key's (= aggregate's) latest record, which carries its
    /// highest version, so a guard rebuilt from the compacted log still knows every version.
    @Test func versionsSurviveCompaction() throws {
        do {
            let (manager, log) = try makeLog(LogConfig(segmentBytes: 14, cleanupPolicy: .compact))
            let guardian = ExpectedVersionGuard()
            for version in Int64(1)...5 { try append(guardian, log, [("a", version)]) }
            try append(guardian, log, [("b", 1)])
            try append(guardian, log, [("c", 1)])
            let result = try log.compact(now: Int64.max / 2)
            #expect(result.recordsRemoved > 0)
            try manager.close()
        }
        let (_, reopened) = try makeLog()
        var offsets: [Int64] = []
        try reopened.forEachRecord { offsets.append($0.offset) }
        #expect(!offsets.contains(0))
        let fresh = ExpectedVersionGuard()
        #expect(throws: ExpectedVersionConflict.versionMismatch(aggregateID: "a", expected: 4, actual: 5, offered: 5)) {
            try append(fresh, reopened, [("a", 5)])
        }
        try append(fresh, reopened, [("a", 6), ("b", 2)])
    }
}

/// Appends split over several batches: a continuation is accepted only behind its own
/// append's earlier records.
@Suite struct ExpectedVersionGuardSplitAppendTests {
    static func batch(_ aggregateID: String, _ version: Int64, append: String, first: Int64) throws -> ByteBuffer {
        try ExpectedVersionGuardTests.batch([(aggregateID, version)], extraHeaders: [
            RecordHeader(key: "append-id", value: ByteBuffer(string: append)),
            RecordHeader(key: "append-first-version", value: ByteBuffer(string: String(first))),
        ])
    }

    @Test func theRestOfARefusedAppendIsRefusedToo() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("version-guard-\(UUID().uuidString)").path
        let manager = try LogManager(dataDirectory: directory)
        let log = try manager.createLog(topic: "events", partition: 0)
        let guardian = ExpectedVersionGuard()
        func append(_ batch: ByteBuffer) throws { _ = try guardian.append(batch, to: log, enforced: true) { try log.append(batch, now: 1) } }
        try append(try Self.batch("a", 1, append: "x", first: 1))
        // Writers A and B both append at version 1: B's single event wins...
        try append(try Self.batch("a", 2, append: "b", first: 2))
        // ...A's two events arrive as two batches: the first is stale, the second must not
        // slip in as version 3 behind B's event.
        #expect(throws: ExpectedVersionConflict.self) { try append(try Self.batch("a", 2, append: "a", first: 2)) }
        #expect(throws: ExpectedVersionConflict.orphanedContinuation(aggregateID: "a", version: 3, appendID: "a", actual: 2)) {
            try append(try Self.batch("a", 3, append: "a", first: 2))
        }
        // An append split over batches that all go through is fine, also after a restart.
        try append(try Self.batch("a", 3, append: "c", first: 3))
        try manager.close()
        let reopened = try LogManager(dataDirectory: directory).log(topic: "events", partition: 0)!
        let fresh = ExpectedVersionGuard()
        let continuation = try Self.batch("a", 4, append: "c", first: 3)
        _ = try fresh.append(continuation, to: reopened, enforced: true) { try reopened.append(continuation, now: 1) }
        #expect(reopened.logEndOffset == 4)
        try? FileManager.default.removeItem(atPath: directory)
    }
}
