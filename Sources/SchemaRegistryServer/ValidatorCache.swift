import Foundation

/// The produce path's view of the registry: schema id → validator, and which
/// ids are live under which subject, behind a lock.
///
/// The store's actor updates it on every change; the broker reads it
/// synchronously from event loops, so a check costs a lock and two dictionary
/// lookups — no actor hop, no parsing.
final class ValidatorCache: @unchecked Sendable {
    // @unchecked: every access to the two dictionaries goes through `lock`.
    private let lock = NSLock()
    private var validators: [Int32: any PayloadValidator] = [:]
    private var liveIDsBySubject: [String: Set<Int32>] = [:]

    func validator(forID id: Int32) -> (any PayloadValidator)? {
        lock.withLock { validators[id] }
    }

    func validator(forID id: Int32, subject: String) -> (any PayloadValidator)? {
        lock.withLock {
            guard liveIDsBySubject[subject]?.contains(id) == true else { return nil }
            return validators[id]
        }
    }

    /// Replaces the snapshot; called by the store after each change it applies.
    func update(validators: [Int32: any PayloadValidator], liveIDsBySubject: [String: Set<Int32>]) {
        lock.withLock {
            self.validators = validators
            self.liveIDsBySubject = liveIDsBySubject
        }
    }
}
