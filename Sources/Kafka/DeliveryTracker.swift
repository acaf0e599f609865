import CRdKafka
import Foundation

/// The producer's bookkeeping of messages handed to librdkafka and of senders waiting for
/// room in its queue. All state is behind one lock; every continuation is removed from the
/// state under that lock before it is resumed, so each is resumed exactly once.
final class DeliveryTracker: Sendable {
    /// What waits for one message's delivery report.
    enum Pending {
        case send(CheckedContinuation<DeliveryReport?, any Error>)
        case enqueued
    }

    private struct State {
        var nextID: UInt64 = 1
        var pending: [UInt64: Pending] = [:]
        /// Enqueued messages whose report has not been handed to the application yet:
        /// in librdkafka, or in `reports`. Bounded by `enqueueLimit`.
        var enqueuedOutstanding = 0
        var reports: [KafkaDeliveryResult] = []
        var reportWaiter: CheckedContinuation<[KafkaDeliveryResult]?, Never>?
        var reportsFinished = false
        /// Senders waiting for room, oldest first.
        var roomWaiters: [(id: UInt64, continuation: CheckedContinuation<Void, any Error>)] = []
        /// Reports served since the last `releaseRoom`.
        var freedSinceRelease = 0
        /// Bumped whenever room was freed, so a sender that saw a full queue can tell whether
        /// room appeared before it started waiting (no lost wake-ups).
        var roomGeneration: UInt64 = 0
        var isShutDown = false
        /// Messages librdkafka accepted whose report has not arrived yet (may dip below zero
        /// for a moment when a report beats `accepted()`, so the maximum never overstates).
        var inLibrdkafka = 0
        var maxInLibrdkafkaObserved = 0
        var backpressureWaits = 0
    }

    private let state = Locked(State())
    let enqueueLimit: Int

    init(enqueueLimit: Int) {
        self.enqueueLimit = enqueueLimit
    }

    // MARK: - Registering messages

    /// Reserves an id for a message about to be produced. Throws after shutdown.
    func reserveID() throws -> UInt64 {
        try state.withLock { state in
            guard !state.isShutDown else { throw KafkaError.shutdown }
            defer { state.nextID += 1 }
            return state.nextID
        }
    }

    /// Records what to do with the report of message `id`. Must happen before the message is
    /// produced, because the report can arrive before `rd_kafka_produceva` returns.
    func register(_ id: UInt64, _ pending: Pending) throws {
        try state.withLock { state in
            guard !state.isShutDown else { throw KafkaError.shutdown }
            if case .enqueued = pending {
                guard state.enqueuedOutstanding < enqueueLimit else { throw KafkaError.queueFull }
                state.enqueuedOutstanding += 1
            }
            state.pending[id] = pending
        }
    }

    /// Notes that librdkafka took a message (its produce call returned no error).
    func accepted() {
        state.withLock { state in
            state.inLibrdkafka += 1
            state.maxInLibrdkafkaObserved = max(state.maxInLibrdkafkaObserved, state.inLibrdkafka)
        }
    }

    /// Forgets message `id` after librdkafka refused it (no report will come).
    func unregister(_ id: UInt64) -> Pending? {
        state.withLock { state in
            let pending = state.pending.removeValue(forKey: id)
            if case .enqueued = pending { state.enqueuedOutstanding -= 1 }
            return pending
        }
    }

    var currentRoomGeneration: UInt64 { state.withLock { $0.roomGeneration } }

    // MARK: - Reports (on the polling thread)

    /// Routes the report of message `id` to its sender or to the batch of enqueue reports.
    func deliver(_ id: UInt64, _ result: Result<DeliveryReport, KafkaError>) {
        let action: () -> Void = state.withLock { state in
            state.freedSinceRelease += 1
            state.inLibrdkafka -= 1
            switch state.pending.removeValue(forKey: id) {
            case .send(let continuation)?:
                return { continuation.resume(with: result.map { $0 }.mapError { $0 as any Error }) }
            case .enqueued?:
                state.reports.append(KafkaDeliveryResult(messageID: id, result: result))
                if let waiter = state.reportWaiter {
                    state.reportWaiter = nil
                    let batch = state.reports
                    state.enqueuedOutstanding -= batch.count
                    state.reports = []
                    return { waiter.resume(returning: batch) }
                }
                return {}
            case nil:
                return {}
            }
        }
        action()
    }

    /// Called after librdkafka destroyed the reported messages (when `rd_kafka_poll` or
    /// `rd_kafka_flush` returned): only then is their room in its queue really free, so
    /// only then are waiting senders woken, one per freed message.
    func releaseRoom() {
        let woken: [CheckedContinuation<Void, any Error>] = state.withLock { state in
            guard state.freedSinceRelease > 0 else { return [] }
            state.roomGeneration &+= 1
            let count = min(state.freedSinceRelease, state.roomWaiters.count)
            state.freedSinceRelease = 0
            let woken = state.roomWaiters.prefix(count).map(\.continuation)
            state.roomWaiters.removeFirst(count)
            return woken
        }
        for continuation in woken { continuation.resume() }
    }

    // MARK: - Backpressure

    /// Waits until room was freed after `generation` (returns at once if it already was).
    func waitForRoom(after generation: UInt64, id: UInt64) async throws {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let immediate: Result<Void, any Error>? = state.withLock { state in
                    if state.isShutDown { return .failure(KafkaError.shutdown) }
                    if Task.isCancelled { return .failure(CancellationError()) }
                    if state.roomGeneration != generation { return .success(()) }
                    state.roomWaiters.append((id, continuation))
                    state.backpressureWaits += 1
                    return nil
                }
                if let immediate { continuation.resume(with: immediate) }
            }
        } onCancel: {
            let continuation = state.withLock { state -> CheckedContinuation<Void, any Error>? in
                guard let index = state.roomWaiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.roomWaiters.remove(at: index).continuation
            }
            continuation?.resume(throwing: CancellationError())
        }
    }

    // MARK: - Batched reports for enqueue

    /// The next batch of enqueue reports, waiting for one; `nil` after shutdown once drained.
    func nextReports() async -> [KafkaDeliveryResult]? {
        await withCheckedContinuation { (continuation: CheckedContinuation<[KafkaDeliveryResult]?, Never>) in
            let immediate: [KafkaDeliveryResult]?? = state.withLock { state in
                if !state.reports.isEmpty {
                    let batch = state.reports
                    state.enqueuedOutstanding -= batch.count
                    state.reports = []
                    return .some(batch)
                }
                if state.reportsFinished { return .some(nil) }
                if let previous = state.reportWaiter {
                    // Two concurrent iterations: the older one ends.
                    previous.resume(returning: nil)
                }
                state.reportWaiter = continuation
                return .none
            }
            if let immediate { continuation.resume(returning: immediate) }
        }
    }

    // MARK: - Shutdown

    /// Refuses new messages and fails the senders still waiting for room.
    func beginShutdown() {
        let waiters = state.withLock { state in
            state.isShutDown = true
            defer { state.roomWaiters = [] }
            return state.roomWaiters.map(\.continuation)
        }
        for waiter in waiters { waiter.resume(throwing: KafkaError.shutdown) }
    }

    /// Fails every message whose report never came (the handle is gone) and ends the
    /// report sequence.
    func finish() {
        let (pending, reportWaiter, batch) = state.withLock { state in
            state.isShutDown = true
            state.reportsFinished = true
            let pending = state.pending
            state.pending = [:]
            var batch: [KafkaDeliveryResult] = state.reports
            for (id, entry) in pending {
                if case .enqueued = entry {
                    batch.append(KafkaDeliveryResult(messageID: id, result: .failure(.shutdown)))
                }
            }
            state.reports = []
            let waiter = state.reportWaiter
            state.reportWaiter = nil
            if waiter == nil { state.reports = batch }
            return (pending, waiter, batch)
        }
        for case .send(let continuation) in pending.values {
            continuation.resume(throwing: KafkaError.shutdown)
        }
        if let reportWaiter { reportWaiter.resume(returning: batch.isEmpty ? nil : batch) }
    }

    // MARK: - Observability (tests)

    /// Messages currently handed to librdkafka and awaiting their report.
    var pendingCount: Int { state.withLock { $0.pending.count } }
    /// The most messages ever awaiting their report at once.
    /// The most messages librdkafka held for this producer at once (for tests of the bound).
    var maxInLibrdkafkaObserved: Int { state.withLock { $0.maxInLibrdkafkaObserved } }
    /// How often a sender had to wait for room.
    var backpressureWaits: Int { state.withLock { $0.backpressureWaits } }
}
