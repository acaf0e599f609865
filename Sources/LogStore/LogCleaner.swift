import Foundation
import Logging
import NIOConcurrencyHelpers

/// The background log cleaner: every interval it walks every partition log of a ``LogManager``
/// and runs ``PartitionLog/clean(now:)`` on it — roll an aged active segment, retention
/// (`cleanup.policy` delete), compaction (compact) — one log at a time on its own thread.
///
/// Produce and fetch are not blocked: a log's lock is held only to take a snapshot of its
/// segments and to swap results in; reading, decoding and rewriting happen outside it. A
/// failure in one log is logged and the pass moves on to the next log.
///
/// The clock is injectable, so tests age segments without waiting: pass `now`, or call
/// ``runOnce(now:)`` directly without starting the thread.
///
/// ```swift
/// let cleaner = LogCleaner(logManager: logs, logger: logger)
/// cleaner.start(interval: .seconds(30))
/// // ... at shutdown, before closing the log manager:
/// cleaner.shutdown()
/// ```
public final class LogCleaner: @unchecked Sendable {
    /// Milliseconds since the Unix epoch, the clock the broker stamps appends with.
    public static let systemClock: @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) }

    private let logManager: LogManager
    private let now: @Sendable () -> Int64
    private let logger: Logger
    /// Serialises passes, so a test's runOnce and the thread's pass never interleave.
    private let passLock = NIOLock()

    private let condition = NSCondition()
    // Guarded by `condition`:
    private var thread: Thread?
    private var isShutdown = false
    private var isStopped = false
    private var passes = 0

    /// Creates a cleaner for every log of `logManager`; nothing runs until ``start(interval:)``.
    ///
    /// - Parameter now: the clock in milliseconds since the epoch (injectable for tests).
    public init(
        logManager: LogManager,
        now: @escaping @Sendable () -> Int64 = LogCleaner.systemClock,
        logger: Logger = Logger(label: "LogStore.LogCleaner")
    ) {
        self.logManager = logManager
        self.now = now
        self.logger = logger
    }

    /// How many passes have completed (thread and ``runOnce(now:)`` together).
    public var passCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return passes
    }

    /// Starts the cleaner thread: one pass right away, then one every `interval`. Calling it again,
    /// or after ``shutdown()``, does nothing.
    public func start(interval: Duration = .seconds(30)) {
        condition.lock()
        defer { condition.unlock() }
        guard thread == nil, !isShutdown else { return }
        let seconds = Double(interval.components.seconds) + Double(interval.components.attoseconds) / 1e18
        // The thread holds the cleaner until shutdown() stops it.
        let thread = Thread { self.run(interval: max(seconds, 0.001)) }
        thread.name = "LogCleaner"
        self.thread = thread
        thread.start()
    }

    /// Stops the thread, waiting for a running pass to finish its current log. Idempotent.
    public func shutdown() {
        condition.lock()
        isShutdown = true
        condition.broadcast()
        if thread != nil {
            while !isStopped { condition.wait() }
        }
        condition.unlock()
    }

    /// Runs one pass over every log now, on the caller's thread, with `now` (default: the
    /// cleaner's clock). Returns what changed, per partition, leaving out logs where nothing did.
    @discardableResult
    public func runOnce(now: Int64? = nil) -> [TopicPartition: LogCleaningResult] {
        let time = now ?? self.now()
        let results: [TopicPartition: LogCleaningResult] = passLock.withLock {
            var results: [TopicPartition: LogCleaningResult] = [:]
            for log in logManager.allLogs {
                do {
                    let result = try log.clean(now: time)
                    if !result.isEmpty { results[log.topicPartition] = result }
                } catch LogStoreError.closed {
                    // Deleted or shut down meanwhile: nothing to clean.
                } catch {
                    logger.error("cleaning \(log.topicPartition) failed: \(error)")
                }
            }
            return results
        }
        condition.lock()
        passes += 1
        condition.unlock()
        return results
    }

    private func run(interval: TimeInterval) {
        while true {
            condition.lock()
            let stop = isShutdown
            condition.unlock()
            if stop { break }
            runOnce()
            condition.lock()
            let deadline = Date(timeIntervalSinceNow: interval)
            while !isShutdown && condition.wait(until: deadline) {}
            condition.unlock()
        }
        condition.lock()
        isStopped = true
        condition.broadcast()
        condition.unlock()
    }
}
