/// The producer state of a partition written at clean close (`producer-state.snapshot`, JSON).
/// On start the log loads it and replays only the batches from `offset` on.
struct ProducerStateSnapshot: Codable, Sendable {
    /// The log end offset when the snapshot was taken: it covers batches below this offset.
    var offset: Int64
    var producers: [ProducerEntry]
}
