/// A consistency boundary whose state is the fold of its events.
///
/// The store rebuilds it by starting from `init(id:)` (or a snapshot) and calling
/// ``apply(_:)`` with each stored event in version order. `apply` must only change state —
/// never decide or fail — so that replaying the same events always gives the same state.
/// Conform to `Codable` as well to have snapshots.
public protocol AggregateRoot: Sendable {
    associatedtype Event: DomainEvent
    /// The state before the first event.
    init(id: String)
    mutating func apply(_ event: Event)
}
