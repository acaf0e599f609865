/// A participant's answer to a command it has not seen before.
public struct ParticipantDecision: Sendable, Hashable {
    public var outcome: SagaReply.Outcome
    public var reason: String?
    public var data: [String: String]

    public init(_ outcome: SagaReply.Outcome, reason: String? = nil, data: [String: String] = [:]) {
        self.outcome = outcome
        self.reason = reason
        self.data = data
    }
}
