import NIOConcurrencyHelpers
import NIOCore

/// Long-polling fetches parked until data arrives on one of their partitions or their
/// `max.wait.ms` runs out.
final class FetchWaiters: Sendable {
    struct Key: Hashable, Sendable {
        var topic: String
        var partition: Int32
    }

    private final class Waiter: Sendable {
        let fire: NIOLockedValueBox<(@Sendable () -> Void)?>
        init(_ fire: @escaping @Sendable () -> Void) { self.fire = NIOLockedValueBox(fire) }
        /// Runs the callback once, whichever of data or timeout comes first.
        var isFired: Bool { fire.withLockedValue { $0 == nil } }

        func trigger() {
            let callback = fire.withLockedValue { value -> (@Sendable () -> Void)? in
                defer { value = nil }
                return value
            }
            callback?()
        }
    }

    private let waiters = NIOLockedValueBox<[Key: [Waiter]]>([:])

    /// Calls `wake` once: on the first append to any of `keys`, or after `timeout`.
    func wait(on keys: [Key], timeout: TimeAmount, eventLoop: any EventLoop, wake: @escaping @Sendable () -> Void) {
        let waiter = Waiter(wake)
        waiters.withLockedValue { all in
            for key in keys {
                // Waiters woken through another partition or by their timeout linger here
                // until this partition sees data; prune them so idle partitions stay small.
                var list = all[key, default: []]
                list.removeAll { $0.isFired }
                list.append(waiter)
                all[key] = list
            }
        }
        eventLoop.scheduleTask(in: timeout) { waiter.trigger() }
    }

    /// Wakes every fetch waiting on `key`.
    func notify(_ key: Key) {
        let woken = waiters.withLockedValue { all in all.removeValue(forKey: key) ?? [] }
        for waiter in woken { waiter.trigger() }
    }
}
