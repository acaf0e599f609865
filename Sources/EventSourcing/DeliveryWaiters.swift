import Kafka
import Synchronization

/// Hands the producer's delivery reports to the appends waiting for them.
///
/// An append enqueues all its events without suspending (so librdkafka puts them in one
/// batch) and then waits for each report by message id. A report can arrive before its
/// waiter registers; it is kept until asked for.
final class DeliveryWaiters: Sendable {
    private struct State {
        var early: [UInt64: Result<DeliveryReport, KafkaError>] = [:]
        var waiting: [UInt64: CheckedContinuation<Result<DeliveryReport, KafkaError>, Never>] = [:]
        var finished = false
    }

    private let state = Mutex(State())

    func deliver(_ results: [KafkaDeliveryResult]) {
        for result in results {
            let continuation = state.withLock { state -> CheckedContinuation<Result<DeliveryReport, KafkaError>, Never>? in
                if let waiter = state.waiting.removeValue(forKey: result.messageID) { return waiter }
                state.early[result.messageID] = result.result
                return nil
            }
            continuation?.resume(returning: result.result)
        }
    }

    func result(for id: UInt64) async -> Result<DeliveryReport, KafkaError> {
        await withCheckedContinuation { continuation in
            let ready: Result<DeliveryReport, KafkaError>? = state.withLock { state in
                if let result = state.early.removeValue(forKey: id) { return result }
                if state.finished { return .failure(.shutdown) }
                state.waiting[id] = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    /// The report stream ended: nobody will get a report any more.
    func finish() {
        let waiting = state.withLock { state in
            state.finished = true
            defer { state.waiting = [:] }
            return state.waiting
        }
        for continuation in waiting.values { continuation.resume(returning: .failure(.shutdown)) }
    }
}
