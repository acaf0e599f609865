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
        case hashing(bytes: Int, now: Int64)
        case hashed(leaves: [AuditRecord.Entry], bytes: Int, now: Int64)
        case checkpoint(CheckpointRequest)
        /// Already handed out; kept until the front is trimmed, without its leaves.
        case taken
    }

    private struct State {
        /// Oldest first; `head` entries at the front are already taken (removed in bulk, so
        /// taking a step costs no shift of the rest).
        var entries: [Entry] = []
        var head = 0
        /// The sequence number of `entries[0]`. Every entry has one, so a ticket's entry is
        /// found by subtraction.
        var firstSequence: UInt64 = 0

        mutating func add(_ entry: Entry) -> UInt64 {
            entries.append(entry)
            return firstSequence + UInt64(entries.count - 1)
        }

        mutating func trimTakenFront() {
            guard head == entries.count || (head >= 64 && head * 2 >= entries.count) else { return }
            entries.removeFirst(head)
            firstSequence += UInt64(head)
            head = 0
        }
    }

    private let state = NIOLockedValueBox(State())

    /// Adds a batch whose leaves are still to be hashed; the caller holds whatever orders
    /// appends (the partition's lock).
    func addBatch(bytes: Int, now: Int64) -> Ticket {
        state.withLockedValue { Ticket(sequence: $0.add(.hashing(bytes: bytes, now: now))) }
    }

    /// Adds a checkpoint request after every step added so far.
    func addCheckpoint(_ request: CheckpointRequest) {
        state.withLockedValue { _ = $0.add(.checkpoint(request)) }
    }

    /// Hands in the leaves of the batch `ticket` names.
    func hashed(_ ticket: Ticket, leaves: [AuditRecord.Entry]) {
        state.withLockedValue { state in
            // A batch being hashed is never taken, so its entry is still in `entries`.
            let index = Int(ticket.sequence - state.firstSequence)
            guard case .hashing(let bytes, let now) = state.entries[index] else {
                preconditionFailure("leaves handed in twice")
            }
            state.entries[index] = .hashed(leaves: leaves, bytes: bytes, now: now)
        }
    }

    /// The oldest step when it is ready (a hashed batch or a checkpoint request), removed;
    /// nil when there is none or the oldest batch is still being hashed.
    func nextReady() -> Step? {
        state.withLockedValue { state in
            guard state.head < state.entries.count else { return nil }
            let step: Step
            switch state.entries[state.head] {
            case .hashing:
                return nil
            case .hashed(let leaves, let bytes, let now):
                step = .batch(leaves: leaves, bytes: bytes, now: now)
            case .checkpoint(let request):
                step = .checkpoint(request)
            case .taken:
                preconditionFailure("a taken step at the head")
            }
            // Taken steps release their leaves at once, not when the front is trimmed.
            state.entries[state.head] = .taken
            state.head += 1
            state.trimTakenFront()
            return step
        }
    }

    /// Steps not yet taken.
    var count: Int {
        state.withLockedValue { $0.entries.count - $0.head }
    }
}
