/// The result of feeding one input to a ``SagaState``: what happened and what to send.
///
/// An empty transition means the input did not apply (a stale reply, a timer that was not
/// due) and the state is unchanged; otherwise the caller persists the new state before the
/// commands are sent.
public struct SagaTransition: Sendable, Hashable {
    public var events: [SagaEvent] = []
    public var commands: [SagaCommand] = []

    public var isEmpty: Bool { events.isEmpty && commands.isEmpty }
}
