/// The domain part of a saga participant, kept pure: ``SagaParticipant`` handles transport,
/// idempotency, fencing and durability around it.
public protocol SagaParticipantLogic: Sendable {
    /// Decides a command whose key was never applied. Must not change state: only
    /// ``apply(_:)`` does, so that replaying the log gives the same state.
    func decide(_ command: SagaCommand) -> ParticipantDecision
    /// Applies a recorded decision (live, and again when the log is replayed at start).
    mutating func apply(_ record: ParticipantRecord)
}
