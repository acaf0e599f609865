/// Where a saga stands. `completed`, `compensated` and `failed` are final; `awaitingReview`
/// waits for a person (``SagaState/resolveReview(approved:reviewer:definition:now:)``).
public enum SagaStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Running its steps forward.
    case running
    /// Undoing its completed steps in reverse order after a step failed or a deadline passed.
    case compensating
    /// Every step succeeded.
    case completed
    /// Every completed step was undone.
    case compensated
    /// A step asked for a manual decision; nothing runs until it is made.
    case awaitingReview
    /// A participant refused a compensation outright: an operator must step in. Never reached
    /// through retries running out — compensations are retried until they succeed.
    case failed

    /// Whether the saga will never change again by itself.
    public var isFinal: Bool { self == .completed || self == .compensated || self == .failed }

    /// Whether the orchestrator is driving it (it has a command in flight or a retry due).
    public var isInFlight: Bool { self == .running || self == .compensating }
}
