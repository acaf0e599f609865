/// What a participant durably recorded for one idempotency key, in its log topic (keyed by
/// the key). Replaying the log rebuilds both its dedupe table and its domain state.
public struct ParticipantRecord: Sendable, Hashable, Codable {
    public var command: SagaCommand
    public var outcome: SagaReply.Outcome
    public var reason: String?
    public var data: [String: String]
    /// For a compensation: whether the action it undoes had been applied (false: nothing
    /// to undo, the action's key is only fenced).
    public var undidAction: Bool?

    public var idempotencyKey: String { command.idempotencyKey }
}
