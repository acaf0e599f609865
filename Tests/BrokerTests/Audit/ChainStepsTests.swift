import AuditChain
import Dispatch
import Testing
@testable import Broker

/// The order in which a partition's chaining takes its steps.
@Suite struct ChainStepsTests {
    private func leaves(_ offsets: ClosedRange<Int64>) -> [AuditRecord.Entry] {
        offsets.map { AuditRecord.Entry(offset: $0, leafHash: .zero) }
    }

    private func batchOffsets(_ step: ChainSteps.Step?) -> [Int64]? {
        guard case .batch(let leaves, _, _)? = step else { return nil }
        return leaves.map(\.offset)
    }

    /// Batches hashed out of order are still taken in the order they were added.
    @Test func batchesAreTakenInAppendOrderHoweverTheyFinish() {
        let steps = ChainSteps()
        let first = steps.addBatch(bytes: 10, now: 1)
        let second = steps.addBatch(bytes: 20, now: 2)
        let third = steps.addBatch(bytes: 30, now: 3)
        steps.hashed(third, leaves: leaves(5...5))
        steps.hashed(second, leaves: leaves(3...4))
        #expect(steps.nextReady() == nil, "the oldest batch is still being hashed")
        steps.hashed(first, leaves: leaves(0...2))
        #expect(batchOffsets(steps.nextReady()) == [0, 1, 2])
        #expect(batchOffsets(steps.nextReady()) == [3, 4])
        guard case .batch(_, let bytes, let now)? = steps.nextReady() else {
            Issue.record("third batch missing")
            return
        }
        #expect(bytes == 30 && now == 3)
        #expect(steps.nextReady() == nil)
        #expect(steps.count == 0)
    }

    /// A checkpoint request waits for the batches added before it, not for those after it.
    @Test func aCheckpointComesAfterEarlierBatchesOnly() {
        let steps = ChainSteps()
        let before = steps.addBatch(bytes: 1, now: 1)
        steps.addCheckpoint(ChainSteps.CheckpointRequest(now: 7, force: true, done: nil))
        let after = steps.addBatch(bytes: 1, now: 2)
        steps.hashed(after, leaves: leaves(1...1))
        #expect(steps.nextReady() == nil)
        steps.hashed(before, leaves: leaves(0...0))
        #expect(batchOffsets(steps.nextReady()) == [0])
        guard case .checkpoint(let request)? = steps.nextReady() else {
            Issue.record("checkpoint request not next")
            return
        }
        #expect(request.now == 7 && request.force)
        #expect(batchOffsets(steps.nextReady()) == [1])
    }

    /// Many batches, hashed concurrently in any order: every one is taken once, in order,
    /// and leaves handed in after the taken front was trimmed still reach their own batch.
    @Test func concurrentHashingKeepsOrderOverManySteps() {
        let steps = ChainSteps()
        let count = 1_000
        let tickets = (0..<count).map { _ in steps.addBatch(bytes: 1, now: 0) }
        var taken: [Int64] = []
        for half in [0..<count / 2, count / 2..<count] {
            DispatchQueue.concurrentPerform(iterations: half.count) { index in
                let reversed = half.upperBound - 1 - index
                steps.hashed(tickets[reversed], leaves: leaves(Int64(reversed)...Int64(reversed)))
            }
            while let offsets = batchOffsets(steps.nextReady()) { taken += offsets }
            #expect(taken == Array(0..<Int64(half.upperBound)))
        }
        #expect(steps.count == 0)
    }
}
