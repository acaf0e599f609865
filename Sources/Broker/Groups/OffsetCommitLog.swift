/// Where the coordinator persists committed offsets: in the broker, the compacted internal
/// topic `__consumer_offsets` (key ``OffsetCommitRecord/encodeKey()``, value
/// ``OffsetCommitRecord/encodeValue()``, null value for a tombstone).
///
/// An OffsetCommit is answered only after `append` returned, so an acknowledged commit
/// survives a restart; the implementation should return only once the records are durable.
protocol OffsetCommitLog: Sendable {
    /// Durably appends the commits, in order.
    func append(_ commits: [OffsetCommitRecord]) async throws

    /// Durably appends tombstones (null values) for the keys, deleting those offsets.
    func appendTombstones(_ keys: [OffsetCommitKey]) async throws
}
