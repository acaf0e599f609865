import Foundation
@testable import Broker

/// A clock tests move by hand.
final class ManualGroupClock: GroupClock, @unchecked Sendable {
    private let lock = NSLock()
    private var now: Int64

    init(start: Int64 = 1_700_000_000_000) {
        now = start
    }

    func nowMilliseconds() -> Int64 {
        lock.withLock { now }
    }

    func advance(by milliseconds: Int64) {
        lock.withLock { now += milliseconds }
    }
}
