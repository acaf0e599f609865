import Foundation

/// The wall clock. A wall-clock jump can make deadlines fire early or late once; that is
/// harmless for session and rebalance timeouts, which clients retry.
struct SystemGroupClock: GroupClock {
    init() {}

    func nowMilliseconds() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1000).rounded())
    }
}
