import CRdKafka
import Foundation

/// Hands messages from the consumer's polling thread to the task iterating
/// ``KafkaConsumer/messages``, one at a time and only on demand.
///
/// The polling thread calls `rd_kafka_consumer_poll` only while an iteration waits in
/// `next()`, so the sequence never reads ahead of the application: at most one message
/// (fetched just as a waiting `next()` was cancelled) is held here. Everything else stays
/// in librdkafka, whose prefetch queue is bounded by `queued.max.messages.kbytes`.
final class ConsumerPump: @unchecked Sendable {
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var demand: CheckedContinuation<KafkaConsumerMessage?, any Error>?
    private var buffered: Result<KafkaConsumerMessage, KafkaError>?
    private var isStopping = false

    // MARK: - Polling thread

    /// Blocks until an iteration waits for a message; `false` once stopping.
    func waitForDemand() -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while !isStopping && (demand == nil || buffered != nil) {
            condition.wait()
        }
        return !isStopping
    }

    /// Passes a polled message (or fatal error) to the waiting iteration, or keeps it for the next one.
    func deliver(_ result: Result<KafkaConsumerMessage, KafkaError>) {
        condition.lock()
        guard let waiting = demand else {
            buffered = result
            condition.unlock()
            return
        }
        demand = nil
        condition.unlock()
        waiting.resume(with: result.map { $0 }.mapError { $0 as any Error })
    }

    // MARK: - Iteration

    /// The next message; `nil` once the consumer is closed.
    func next() async throws -> KafkaConsumerMessage? {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<KafkaConsumerMessage?, any Error>) in
                condition.lock()
                let immediate: Result<KafkaConsumerMessage?, any Error>?
                if let ready = buffered {
                    buffered = nil
                    immediate = ready.map { $0 }.mapError { $0 }
                } else if isStopping {
                    immediate = .success(nil)
                } else if demand != nil {
                    immediate = .failure(KafkaError(code: RD_KAFKA_RESP_ERR__STATE.rawValue, message: "messages are already being iterated by another task"))
                } else if Task.isCancelled {
                    immediate = .failure(CancellationError())
                } else {
                    demand = continuation
                    condition.broadcast()
                    immediate = nil
                }
                condition.unlock()
                if let immediate { continuation.resume(with: immediate) }
            }
        } onCancel: {
            condition.lock()
            let waiting = demand
            demand = nil
            condition.unlock()
            waiting?.resume(throwing: CancellationError())
        }
    }

    /// Forgets a message fetched before a seek, pause or revocation made it stale.
    func dropBuffered(where isStale: (KafkaTopicPartition) -> Bool) {
        condition.lock()
        if case .success(let message)? = buffered, isStale(KafkaTopicPartition(topic: message.topic, partition: message.partition)) {
            buffered = nil
        }
        condition.unlock()
    }

    /// Ends the iteration (a waiting `next()` returns `nil`) and releases the polling thread.
    func stop() {
        condition.lock()
        isStopping = true
        let waiting = demand
        demand = nil
        condition.broadcast()
        condition.unlock()
        waiting?.resume(returning: nil)
    }
}
