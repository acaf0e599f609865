import Foundation

/// A dedicated thread that serves one librdkafka handle's queue.
///
/// Each iteration blocks inside librdkafka (`rd_kafka_poll`, `rd_kafka_consumer_poll`) which
/// returns as soon as an event (delivery report, message, rebalance) arrives: latency is the
/// broker round trip, never a sleep. The timeout inside an iteration only bounds how long
/// ``stop(wakeUp:)`` may take to be noticed.
final class PollingThread: Sendable {
    private let stopRequested = Locked(false)
    private let finished = DispatchSemaphore(value: 0)
    private let state = Locked<State>(.running)

    private enum State { case running, stopping, stopped }

    /// Starts the thread. `iteration` runs repeatedly until ``stop(wakeUp:)``; `finally` runs
    /// once on the thread after the last iteration.
    init(name: String, iteration: @escaping @Sendable () -> Void, finally: @escaping @Sendable () -> Void = {}) {
        let thread = Thread { [stopRequested, finished] in
            while !stopRequested.withLock({ $0 }) {
                iteration()
            }
            finally()
            finished.signal()
        }
        thread.name = name
        thread.start()
    }

    /// Whether ``stop(wakeUp:)`` was called.
    var isStopping: Bool { stopRequested.withLock { $0 } }

    /// Asks the loop to end, calls `wakeUp` to cut a blocking poll short, and waits until the
    /// thread finished. Safe to call more than once and from several threads.
    func stop(wakeUp: () -> Void = {}) {
        let first = state.withLock { state -> Bool in
            guard case .running = state else { return false }
            state = .stopping
            return true
        }
        stopRequested.withLock { $0 = true }
        guard first else {
            // Another caller is stopping it; wait for the same end.
            finished.wait()
            finished.signal()
            return
        }
        wakeUp()
        finished.wait()
        state.withLock { $0 = .stopped }
        // Let concurrent or later callers through as well.
        finished.signal()
    }
}
