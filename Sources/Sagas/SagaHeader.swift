/// Record headers sagas add to the ``EventSourcing/EventEnvelope`` ones on commands.
public enum SagaHeader {
    /// The command's idempotency key (also in its JSON body), for participants that dedupe
    /// before decoding.
    public static let idempotencyKey = "idempotency-key"
    /// The topic to answer on.
    public static let replyTo = "reply-to"
}
