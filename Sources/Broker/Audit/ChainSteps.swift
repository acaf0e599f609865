import AuditChain
import Dispatch
import NIOConcurrencyHelpers

/// One audited partition's chaining work in append order: batches whose leaves are being
/// hashed (any number at once, on any core) and checkpoint requests, taken out strictly in
/// order by the partition's serial queue.
///
/// A batch is taken only once its leaves are in, so a slow batch holds back the ones
/// appended after it however soon they are hashed: leaves enter the Merkle log in offset order.
final class ChainSteps: Sendable {
    /// A checkpoint request: ordered after every batch added before it.
    struct CheckpointRequest: Sendable {
        var now: Int64
        /// Sign one even when no records are pending (the final checkpoint).
        var force: Bool
        /// Signalled once the checkpoint is made and the write tried (the forced call waits).
        var done: DispatchSemaphore?
    }

    /// A step ready to be taken.
    enum Step {
        case batch(leaves: [AuditRecord.Entry], bytes: Int, now: Int64)
        case checkpoint(CheckpointRequest)
    }

    /// Names a batch step between ``addBatch(bytes:now:)`` and ``hashed(_:leaves:)``.
    struct Ticket: Sendable {
        fileprivate let sequence: UInt64
    }

    private enum Entry {
        case batch(sequence: UInt64, bytes: Int, now: Int64, leaves: [AuditRecord.Entry]?)
        case checkpoint(CheckpointRequest)
    }

    private struct State {
        /// Oldest first; `head` entries at the front are already taken (removed in bulk, so
        /// taking a step costs no shift of the rest).
        var entries: [Entry] = []
        var head = 0
        var nextSequence: UInt64 = 0
    }

    private let state = NIOLockedValueBox(State())

    /// Adds a batch whose leaves are still to be hashed; the caller holds whatever orders
    /// appends (the partition's lock).
    func addBatch(bytes: Int, now: Int64) -> Ticket {
        state.withLockedValue { state in
            let sequence = state.nextSequence
            state.nextSequence += 1
            state.entries.append(.batch(sequence: sequence, bytes: bytes, now: now, leaves: nil))
            return Ticket(sequence: sequence)
        }
    }

    /// Adds a checkpoint request after every step added so far.
    func addCheckpoint(_ request: CheckpointRequest) {
        state.withLockedValue { $0.entries.append(.checkpoint(request)) }
    }

    /// Hands in the leaves of the batch `ticket` names.
    func hashed(_ ticket: Ticket, leaves: [AuditRecord.Entry]) {
        state.withLockedValue { state in
            // Batch sequences increase along `entries`, so the pending one is found by a
            // search from the front of what is still waiting (a few entries in practice).
            for index in state.head..<state.entries.count {
                guard case .batch(let sequence, let bytes, let now, nil) = state.entries[index], sequence == ticket.sequence else { continue }
                state.entries[index] = .batch(sequence: sequence, bytes: bytes, now: now, leaves: leaves)
                return
            }
            preconditionFailure("leaves handed in twice, or for a batch never added")
        }
    }

    /// The oldest step when it is ready (a hashed batch or a checkpoint request), removed;
    /// nil when there is none or the oldest batch is still being hashed.
    func nextReady() -> Step? {
        state.withLockedValue { state in
            guard state.head < state.entries.count else { return nil }
            let step: Step
            switch state.entries[state.head] {
            case .batch(_, _, _, nil):
                return nil
            case .batch(_, let bytes, let now, let leaves?):
                step = .batch(leaves: leaves, bytes: bytes, now: now)
            case .checkpoint(let request):
                step = .checkpoint(request)
            }
            state.head += 1
            if state.head == state.entries.count {
                state.entries.removeAll(keepingCapacity: true)
                state.head = 0
            } else if state.head >= 64 && state.head * 2 >= state.entries.count {
                state.entries.removeFirst(state.head)
                state.head = 0
            }
            return step
        }
    }

    /// Steps not yet taken.
    var count: Int {
        state.withLockedValue { $0.entries.count - $0.head }
    }
}
