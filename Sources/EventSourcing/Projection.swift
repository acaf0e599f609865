/// A read model folded from the events of a topic, e.g. balances per account.
///
/// ``ProjectionRunner`` feeds it every event once, in partition order, and stores its state
/// together with the offsets it covers, so a restart neither skips nor repeats an event.
public protocol Projection: Sendable {
    associatedtype State: Codable & Sendable
    /// Names the checkpoint in the ``ProjectionStore``.
    var name: String { get }
    /// The state before the first event.
    func initialState() -> State
    /// Folds one event into the state. Throwing stops the runner; the events since the
    /// last checkpoint are applied again on the next run (to the checkpoint's state).
    func apply(_ event: RecordedEvent, to state: inout State) throws
}
