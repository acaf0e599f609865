import Foundation
import NIOCore
import Testing
@testable import LogStore

@Suite struct ProducerStateTests {
    let temp = TempDirectory()

    func batch(pid: Int64 = 42, epoch: Int16 = 0, seq: Int32, records: Int = 1) -> ByteBuffer {
        TestBatch.make(records: records, producerId: pid, producerEpoch: epoch, baseSequence: seq)
    }

    func makeLog() throws -> (LogManager, PartitionLog) {
        let manager = try LogManager(dataDirectory: temp.path, logger: testLogger)
        return (manager, try manager.createLog(topic: "idem", partition: 0))
    }

    @Test func duplicateIsDroppedWithOriginalOffsets() throws {
        let (_, log) = try makeLog()
        try log.appendBatches(2)
        let first = try log.append(batch(seq: 0, records: 3), now: 0)
        let second = try log.append(batch(seq: 3, records: 2), now: 0)
        #expect(first.baseOffset == 2 && first.lastOffset == 4)
        let retry = try log.append(batch(seq: 0, records: 3), now: 0)
        #expect(retry.isDuplicate)
        #expect(retry.baseOffset == 2 && retry.lastOffset == 4)
        let retry2 = try log.append(batch(seq: 3, records: 2), now: 0)
        #expect(retry2.isDuplicate && retry2.baseOffset == second.baseOffset)
        #expect(log.logEndOffset == 7)
        #expect(try log.append(batch(seq: 5), now: 0).baseOffset == 7)
    }

    @Test func gapAndStaleEpochAreRejected() throws {
        let (_, log) = try makeLog()
        try log.append(batch(epoch: 3, seq: 0), now: 0)
        try log.append(batch(epoch: 3, seq: 1), now: 0)
        #expect(throws: LogAppendError.outOfOrderSequence) { try log.append(batch(epoch: 3, seq: 5), now: 0) }
        #expect(throws: LogAppendError.invalidProducerEpoch) { try log.append(batch(epoch: 2, seq: 2), now: 0) }
        // A new epoch must start at 0.
        #expect(throws: LogAppendError.outOfOrderSequence) { try log.append(batch(epoch: 4, seq: 2), now: 0) }
        #expect(try log.append(batch(epoch: 4, seq: 0), now: 0).baseOffset == 2)
        #expect(throws: LogAppendError.invalidProducerEpoch) { try log.append(batch(epoch: 3, seq: 2), now: 0) }
        #expect(log.logEndOffset == 3)
    }

    @Test func unknownProducerAndNonIdempotentBatchesAreAccepted() throws {
        let (_, log) = try makeLog()
        #expect(try log.append(batch(pid: 7, seq: 17), now: 0).baseOffset == 0)
        #expect(try log.append(batch(pid: 7, seq: 18), now: 0).baseOffset == 1)
        #expect(try log.append(TestBatch.make(), now: 0).baseOffset == 2)
        #expect(try log.append(TestBatch.make(), now: 0).baseOffset == 3)   // same bytes, no producer id: not a duplicate
    }

    @Test func sequenceWrapsAtInt32Max() throws {
        let (_, log) = try makeLog()
        try log.append(batch(seq: Int32.max - 1, records: 2), now: 0)   // sequences max-1, max
        #expect(try log.append(batch(seq: 0), now: 0).isDuplicate == false)
        #expect(ProducerBatchMetadata.lastSequence(first: Int32.max, lastOffsetDelta: 2) == 1)
    }

    @Test func onlyLastFiveBatchesAreRemembered() throws {
        let (_, log) = try makeLog()
        for seq in Int32(0)..<7 { try log.append(batch(seq: seq), now: 0) }
        #expect(try log.append(batch(seq: 6), now: 0).isDuplicate)
        #expect(try log.append(batch(seq: 2), now: 0).isDuplicate)
        #expect(throws: LogAppendError.outOfOrderSequence) { try log.append(batch(seq: 1), now: 0) }
    }

    @Test(arguments: [false, true])
    func stateSurvivesRestart(clean: Bool) throws {
        do {
            let (manager, log) = try makeLog()
            try log.append(batch(seq: 0, records: 2), now: 0)
            try log.append(batch(pid: 9, epoch: 5, seq: 0), now: 0)
            try log.append(batch(seq: 2, records: 2), now: 0)
            if clean { try manager.close() } else { try log.flush() }
        }
        let manager = try LogManager(dataDirectory: temp.path, logger: testLogger)
        let log = try #require(manager.log(topic: "idem", partition: 0))
        let retry = try log.append(batch(seq: 2, records: 2), now: 0)
        #expect(retry.isDuplicate && retry.baseOffset == 3 && retry.lastOffset == 4)
        #expect(throws: LogAppendError.outOfOrderSequence) { try log.append(batch(seq: 9), now: 0) }
        #expect(throws: LogAppendError.invalidProducerEpoch) { try log.append(batch(pid: 9, epoch: 4, seq: 1), now: 0) }
        #expect(try log.append(batch(seq: 4), now: 0).baseOffset == 5)

        // And again, now with a snapshot from this run plus batches after it.
        try manager.close()
        let again = try #require(try LogManager(dataDirectory: temp.path, logger: testLogger).log(topic: "idem", partition: 0))
        #expect(try again.append(batch(seq: 4), now: 0).isDuplicate)
        #expect(try again.append(batch(seq: 5), now: 0).baseOffset == 6)
    }
}
