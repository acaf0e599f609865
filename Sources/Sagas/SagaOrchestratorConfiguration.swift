/// Where a ``SagaOrchestrator`` keeps its state and reads replies.
public struct SagaOrchestratorConfiguration: Sendable {
    public var bootstrapServers: [String]
    /// Compacted, keyed by saga id: the latest state of every saga.
    public var stateTopic = "saga-state"
    /// Where participants answer.
    public var replyTopic = "saga-replies"
    /// Partitions of the topics this orchestrator creates when missing.
    public var partitions: Int32 = 3
    /// Consumer group that remembers how far replies were read.
    public var groupID = "saga-orchestrator"
    /// `producer` header of saga-state records and `client.id`.
    public var clientID = "saga-orchestrator"
    /// How often due retries, timeouts and deadlines are checked.
    public var tickInterval: Duration = .milliseconds(20)

    public init(bootstrapServers: [String]) {
        self.bootstrapServers = bootstrapServers
    }
}
