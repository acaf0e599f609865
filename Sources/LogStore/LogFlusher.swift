import Foundation
import Logging
import NIOConcurrencyHelpers

/// Group commit: one background thread that fsyncs logs on behalf of many waiters.
///
/// A produce request with acks=all appends, then waits until its last offset is durable. Requests
/// that arrive while an fsync runs are queued and served together by the next round, which
/// fsyncs each log once; so under load many requests share one fsync, and one slow fsync delays
/// but never multiplies the work. A request already covered by an earlier fsync completes at once,
/// on the caller's thread.
///
/// Completions run on the flusher thread (or the caller's, when immediate): keep them short, for
/// example hop to an event loop.
public final class LogFlusher: @unchecked Sendable {
    private struct Request {
        var log: PartitionLog
        var offset: Int64
        var completion: @Sendable ((any Error)?) -> Void
    }

    private let condition = NSCondition()
    // Guarded by `condition`:
    private var queue: [Request] = []
    private var isShutdown = false
    private var isStopped = false
    private var syncs = 0

    private let logger: Logger
    private var thread: Thread?

    /// Starts the flusher thread.
    public init(logger: Logger = Logger(label: "LogStore.LogFlusher")) {
        self.logger = logger
        // The thread holds the flusher until shutdown() stops it.
        let thread = Thread { self.run() }
        thread.name = "LogFlusher"
        self.thread = thread
        thread.start()
    }

    /// How many fsyncs the flusher has issued (one per log per round that needed one).
    public var fsyncCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return syncs
    }

    /// Calls `completion` once every record of `log` at or below `offset` is fsynced — pass the
    /// append result's `lastOffset` — with nil, or with the fsync error. After ``shutdown()`` the
    /// completion gets ``LogStoreError/closed`` unless the offset is already durable. An offset at
    /// or beyond the log end offset fails with ``LogReadError/offsetOutOfRange(offset:logStartOffset:logEndOffset:)``.
    public func awaitDurable(_ log: PartitionLog, upTo offset: Int64, completion: @escaping @Sendable ((any Error)?) -> Void) {
        if log.flushedOffset > offset {
            completion(nil)
            return
        }
        condition.lock()
        if isShutdown {
            condition.unlock()
            completion(LogStoreError.closed)
            return
        }
        queue.append(Request(log: log, offset: offset, completion: completion))
        condition.signal()
        condition.unlock()
    }

    /// Suspends until every record of `log` at or below `offset` (an append's `lastOffset`) is fsynced.
    public func waitUntilDurable(_ log: PartitionLog, upTo offset: Int64) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            awaitDurable(log, upTo: offset) { error in
                if let error { continuation.resume(throwing: error) } else { continuation.resume() }
            }
        }
    }

    /// Serves the requests already queued, then stops the thread and waits for it. Idempotent.
    public func shutdown() {
        condition.lock()
        isShutdown = true
        condition.broadcast()
        while !isStopped { condition.wait() }
        condition.unlock()
    }

    private func run() {
        while true {
            condition.lock()
            while queue.isEmpty && !isShutdown { condition.wait() }
            if queue.isEmpty && isShutdown {
                isStopped = true
                condition.broadcast()
                condition.unlock()
                return
            }
            let batch = queue
            queue.removeAll(keepingCapacity: true)
            condition.unlock()
            serve(batch)
        }
    }

    /// One round: fsync each log with requests once (the flush covers everything appended up to
    /// now, so all of this round's requests for it), then complete the requests.
    private func serve(_ batch: [Request]) {
        var wanted: [ObjectIdentifier: (log: PartitionLog, offset: Int64)] = [:]
        for request in batch {
            let id = ObjectIdentifier(request.log)
            wanted[id] = (request.log, max(wanted[id]?.offset ?? .min, request.offset))
        }
        var failures: [ObjectIdentifier: any Error] = [:]
        for (id, want) in wanted where want.log.flushedOffset <= want.offset {
            do {
                try want.log.flush()
                condition.lock()
                syncs += 1
                condition.unlock()
            } catch {
                logger.error("group commit fsync of \(want.log.topicPartition) failed: \(error)")
                failures[id] = error
            }
        }
        for request in batch {
            if let failure = failures[ObjectIdentifier(request.log)] {
                request.completion(failure)
            } else if request.log.flushedOffset > request.offset {
                request.completion(nil)
            } else {
                // Asked for an offset beyond what was appended: no flush will ever cover it.
                request.completion(LogReadError.offsetOutOfRange(
                    offset: request.offset, logStartOffset: request.log.logStartOffset, logEndOffset: request.log.logEndOffset))
            }
        }
    }
}
