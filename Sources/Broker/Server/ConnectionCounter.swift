import NIOConcurrencyHelpers

/// Open connections of one listener, shared by every connection's ``ConnectionLimitHandler``.
final class ConnectionCounter: Sendable {
    let limit: Int
    private let open = NIOLockedValueBox(0)

    init(limit: Int) {
        self.limit = limit
    }

    /// Takes a slot; false when `limit` connections are already open.
    func tryAcquire() -> Bool {
        open.withLockedValue { count in
            guard count < limit else { return false }
            count += 1
            return true
        }
    }

    func release() {
        open.withLockedValue { $0 -= 1 }
    }

    var count: Int { open.withLockedValue { $0 } }
}
