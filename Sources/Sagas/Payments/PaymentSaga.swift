/// The payment saga: validate → assess risk → reserve funds → authorize → capture → post to
/// the ledger. Compensations release the reservation, void the authorization and refund the
/// capture; validation and risk assessment change nothing that needs undoing. Posting has a
/// reversal too, used only when a posting timed out and the saga is undone: its fate is
/// unknown, and the ledger reverses it only if it landed.
public enum PaymentSaga {
    public static let name = "payment"
    /// Command topics of the two participants.
    public static let paymentsTopic = "payments-commands"
    public static let ledgerTopic = "ledger-commands"

    /// Command names.
    public enum Command {
        public static let validate = "ValidatePayment"
        public static let assessRisk = "AssessRisk"
        public static let reserveFunds = "ReserveFunds"
        public static let releaseReservation = "ReleaseReservation"
        public static let authorize = "AuthorizePayment"
        public static let voidAuthorization = "VoidAuthorization"
        public static let capture = "CapturePayment"
        public static let refundCapture = "RefundCapture"
        public static let postToLedger = "PostToLedger"
        /// Undoes a posting whose reply never came (the saga cannot know whether it landed).
        public static let reversePosting = "ReversePosting"
    }

    /// Step names (part of idempotency keys: never rename).
    public enum Step {
        public static let validate = "validate"
        public static let assessRisk = "assess-risk"
        public static let reserveFunds = "reserve-funds"
        public static let authorize = "authorize"
        public static let capture = "capture"
        public static let postToLedger = "post-to-ledger"
    }

    /// The definition; `retry`, `attemptTimeout` and the deadlines apply to every step.
    public static func definition(
        retry: SagaRetryPolicy = SagaRetryPolicy(maxAttempts: 6, initialBackoff: .milliseconds(50), maxBackoff: .seconds(2)),
        attemptTimeout: Duration = .seconds(3), stepDeadline: Duration = .seconds(30), sagaDeadline: Duration = .seconds(120)
    ) -> SagaDefinition {
        func step(_ name: String, _ participant: String, _ action: String, _ compensation: String? = nil) -> SagaStepDefinition {
            SagaStepDefinition(name: name, participant: participant, action: action, compensation: compensation, retry: retry, attemptTimeout: attemptTimeout, deadline: stepDeadline)
        }
        var assessRisk = step(Step.assessRisk, paymentsTopic, Command.assessRisk)
        assessRisk.mayRequestReview = true
        return SagaDefinition(
            name: name,
            steps: [
                step(Step.validate, paymentsTopic, Command.validate),
                assessRisk,
                step(Step.reserveFunds, paymentsTopic, Command.reserveFunds, Command.releaseReservation),
                step(Step.authorize, paymentsTopic, Command.authorize, Command.voidAuthorization),
                step(Step.capture, paymentsTopic, Command.capture, Command.refundCapture),
                step(Step.postToLedger, ledgerTopic, Command.postToLedger, Command.reversePosting),
            ],
            deadline: sagaDeadline)
    }
}
