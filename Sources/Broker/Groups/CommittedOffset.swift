/// The committed position of a group in one partition.
struct CommittedOffset: Sendable, Equatable {
    var offset: Int64
    /// -1 when the client did not send one (OffsetCommit < v6).
    var leaderEpoch: Int32
    var metadata: String
    /// Milliseconds since the Unix epoch, taken by the broker when it accepted the commit.
    var commitTimestamp: Int64
}
