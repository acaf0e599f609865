/// A multi-step business flow: steps run in order; when one fails, the completed ones are
/// compensated in reverse order.
public struct SagaDefinition: Sendable, Hashable {
    /// Unique among the definitions an orchestrator runs; stored with every saga.
    public var name: String
    public var steps: [SagaStepDefinition]
    /// How long the saga may run forward before it is compensated (time awaiting a manual
    /// review does not count against it: the saga is not running then).
    public var deadline: Duration
    /// Backoff between compensation attempts (its `maxAttempts` is ignored: a compensation
    /// is retried until it succeeds).
    public var compensationRetry: SagaRetryPolicy

    public init(name: String, steps: [SagaStepDefinition], deadline: Duration = .seconds(120), compensationRetry: SagaRetryPolicy = SagaRetryPolicy(maxAttempts: 1, initialBackoff: .milliseconds(100), maxBackoff: .seconds(5))) {
        precondition(!steps.isEmpty, "a saga needs at least one step")
        precondition(Set(steps.map(\.name)).count == steps.count, "step names must be unique")
        self.name = name
        self.steps = steps
        self.deadline = deadline
        self.compensationRetry = compensationRetry
    }
}
