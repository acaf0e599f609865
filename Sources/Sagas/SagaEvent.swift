import Foundation

/// What happened to a saga in one transition; persisted with its state in `saga-state` and
/// turned into audit records by a ``SagaObserver``.
public enum SagaEvent: Sendable, Hashable, Codable {
    case started
    case commandSent(step: String, kind: SagaCommandKind, attempt: Int)
    case stepSucceeded(step: String)
    /// One attempt failed or timed out; another follows at `retryAt`.
    case attemptFailed(step: String, kind: SagaCommandKind, attempt: Int, reason: String, retryAt: Date)
    /// The step's action failed for good (rejected, out of attempts, or past a deadline).
    case stepFailed(step: String, reason: String)
    case reviewRequested(step: String, reason: String)
    case reviewResolved(approved: Bool, reviewer: String)
    case compensationStarted(reason: String)
    case compensationSucceeded(step: String)
    case completed
    case compensated
    case failed(reason: String)

    /// A short name, used as the `event-type` of the saga-state record.
    public var name: String {
        switch self {
        case .started: "SagaStarted"
        case .commandSent: "SagaCommandSent"
        case .stepSucceeded: "SagaStepSucceeded"
        case .attemptFailed: "SagaAttemptFailed"
        case .stepFailed: "SagaStepFailed"
        case .reviewRequested: "SagaReviewRequested"
        case .reviewResolved: "SagaReviewResolved"
        case .compensationStarted: "SagaCompensationStarted"
        case .compensationSucceeded: "SagaCompensationSucceeded"
        case .completed: "SagaCompleted"
        case .compensated: "SagaCompensated"
        case .failed: "SagaFailed"
        }
    }
}
