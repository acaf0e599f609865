import Foundation

/// A value behind a lock: the building block that makes the client classes `Sendable`
/// without `Synchronization.Mutex` (which needs macOS 15; the package supports macOS 14).
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) {
        self.value = value
    }

    func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
