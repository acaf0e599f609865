import Foundation

/// A ``SchemaLog`` that keeps entries in memory: for tests, and for a registry
/// that need not survive a restart.
public final class InMemorySchemaLog: SchemaLog, @unchecked Sendable {
    // @unchecked: `stored` is only touched under `lock`.
    private let lock = NSLock()
    private var stored: [(key: [UInt8], value: [UInt8]?)] = []

    public init() {}

    public func append(key: [UInt8], value: [UInt8]?) async throws {
        lock.withLock { stored.append((key: key, value: value)) }
    }

    /// Everything appended so far, in order — the input of ``SchemaStore/restore(from:)``.
    public var entries: [(key: [UInt8], value: [UInt8]?)] {
        lock.withLock { stored }
    }
}
