/// A participant's answer to a ``SagaCommand``, sent as JSON to the orchestrator's reply topic.
public struct SagaReply: Sendable, Hashable, Codable {
    public enum Outcome: String, Sendable, Hashable, Codable {
        /// Applied (now or earlier, for a repeated key).
        case succeeded
        /// Not applied, and it never will be for this key (e.g. insufficient funds).
        case rejected
        /// Not applied this time; retrying the same key may succeed.
        case transientFailure
        /// Applied, but a person must decide before the saga continues.
        case reviewRequired
    }

    public var sagaID: String
    public var step: String
    public var kind: SagaCommandKind
    public var idempotencyKey: String
    public var attempt: Int
    public var outcome: Outcome
    public var reason: String?
    /// Values the next commands need (an authorization id, a risk score...).
    public var data: [String: String]

    public init(to command: SagaCommand, outcome: Outcome, reason: String? = nil, data: [String: String] = [:]) {
        sagaID = command.sagaID
        step = command.step
        kind = command.kind
        idempotencyKey = command.idempotencyKey
        attempt = command.attempt
        self.outcome = outcome
        self.reason = reason
        self.data = data
    }
}
