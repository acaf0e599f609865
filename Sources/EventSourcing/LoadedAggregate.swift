/// An aggregate rebuilt from its stream, with the version to pass as the next append's
/// expected version.
public struct LoadedAggregate<Aggregate: AggregateRoot>: Sendable {
    public var id: String
    public var state: Aggregate
    /// The version of the last event applied; 0 for a stream with no events.
    public var version: Int64
    /// The snapshot's version the rebuild started from, nil when it replayed from the start.
    public var snapshotVersion: Int64?
    /// How many events were applied on top of the snapshot (or the initial state).
    public var eventsReplayed: Int
    /// Offset of the last applied event in the events partition (-1 for none): where a
    /// snapshot of this state lets the next rebuild resume.
    public var lastEventOffset: Int64
}
