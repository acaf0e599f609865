import Dispatch
import Foundation

/// A flag set by SIGINT/SIGTERM (through dispatch signal sources it keeps alive).
final class AuditStopSignal: @unchecked Sendable {
    // @unchecked: every stored property is guarded by `lock`.
    private let lock = NSLock()
    private var stopping = false
    private var sources: [any DispatchSourceSignal] = []

    var isStopping: Bool { lock.withLock { stopping } }

    func stop() { lock.withLock { stopping = true } }

    func retain(_ source: any DispatchSourceSignal) { lock.withLock { sources.append(source) } }
}
