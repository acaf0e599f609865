import Foundation

/// What the orchestrator asks a participant to do, sent as JSON to the participant's topic,
/// keyed by saga id, with an ``EventSourcing/EventEnvelope`` in the headers.
public struct SagaCommand: Sendable, Hashable, Codable {
    public var sagaID: String
    public var sagaName: String
    public var step: String
    public var kind: SagaCommandKind
    /// The command name (the step's action or compensation).
    public var name: String
    /// The participant's topic.
    public var participant: String
    /// The same for every attempt of this step's action (or compensation): a participant
    /// applies a key at most once and answers repeats with the outcome it recorded.
    public var idempotencyKey: String
    /// For a compensation: the key of the action it undoes. A participant that sees the
    /// compensation first must refuse that action if it arrives later.
    public var compensates: String?
    /// 1-based; echoed in the reply so that a late reply to an old attempt is not taken for
    /// the current one's.
    public var attempt: Int
    /// The saga's input plus what earlier replies added.
    public var payload: [String: String]

    /// `<saga id>/<step>/<action|compensation>`: attempt-independent by construction.
    public static func idempotencyKey(sagaID: String, step: String, kind: SagaCommandKind) -> String {
        "\(sagaID)/\(step)/\(kind.rawValue)"
    }
}
