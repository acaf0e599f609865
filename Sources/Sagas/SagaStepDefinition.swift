/// One step of a ``SagaDefinition``: a command sent to a participant, and the command that
/// undoes it.
public struct SagaStepDefinition: Sendable, Hashable {
    /// Unique within the saga; part of every idempotency key, so never rename a step of a
    /// definition that has sagas in flight.
    public var name: String
    /// The topic the participant reads its commands from.
    public var participant: String
    /// The command that performs the step.
    public var action: String
    /// The command that undoes it; nil when the step changes nothing that needs undoing
    /// (a validation, an assessment).
    public var compensation: String?
    public var retry: SagaRetryPolicy
    /// How long to wait for one attempt's reply before counting the attempt as failed.
    public var attemptTimeout: Duration
    /// How long the step may take over all its attempts before it counts as failed.
    public var deadline: Duration
    /// Whether the participant may answer "a person must decide" (documentation for the
    /// diagram; the state machine accepts such a reply from any step).
    public var mayRequestReview: Bool

    public init(name: String, participant: String, action: String, compensation: String? = nil, retry: SagaRetryPolicy = SagaRetryPolicy(), attemptTimeout: Duration = .seconds(2), deadline: Duration = .seconds(30), mayRequestReview: Bool = false) {
        self.name = name
        self.participant = participant
        self.action = action
        self.compensation = compensation
        self.retry = retry
        self.attemptTimeout = attemptTimeout
        self.deadline = deadline
        self.mayRequestReview = mayRequestReview
    }
}
