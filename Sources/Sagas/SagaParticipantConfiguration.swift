/// Topics and simulated faults of a ``SagaParticipant``.
public struct SagaParticipantConfiguration: Sendable {
    public var bootstrapServers: [String]
    /// Where commands arrive (the steps' `participant`).
    public var commandTopic: String
    /// Where applied commands are recorded (keyed by idempotency key); the participant's
    /// durable memory.
    public var logTopic: String
    /// Where to answer when a command names no `reply-to`.
    public var replyTopic = "saga-replies"
    public var partitions: Int32 = 3
    /// Chance (0...1) that a new command fails transiently without being applied.
    public var failureRate = 0.0
    /// Chance (0...1) that a reply is dropped after the command was applied, as if lost.
    public var dropReplyRate = 0.0
    /// Simulated processing time per command, drawn uniformly from this range.
    public var latency: ClosedRange<Duration> = .zero ... .zero

    public init(bootstrapServers: [String], commandTopic: String, logTopic: String) {
        self.bootstrapServers = bootstrapServers
        self.commandTopic = commandTopic
        self.logTopic = logTopic
    }
}
