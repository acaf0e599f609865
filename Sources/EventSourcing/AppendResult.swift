/// What an append stored.
public struct AppendResult: Sendable, Hashable {
    public var aggregateID: String
    /// Versions of the appended events, in order (expected version + 1 ...).
    public var versions: [Int64]
    /// Where they are: partition and one offset per event.
    public var partition: Int32
    public var offsets: [Int64]
    /// `true` when every event was stored already (a retried append), nothing was written again.
    public var wasAlreadyStored: Bool

    /// The stream's version after the append: what the next append expects.
    public var nextExpectedVersion: Int64 { versions.last ?? 0 }
}
