/// One partition of an OffsetCommit request.
struct PartitionOffsetCommit: Sendable, Equatable {
    var topic: String
    var partition: Int32
    var offset: Int64
    /// -1 when absent (OffsetCommit < v6).
    var leaderEpoch: Int32
    /// Nullable on the wire; stored as "" when null, as Kafka does.
    var metadata: String?

    init(topic: String, partition: Int32, offset: Int64, leaderEpoch: Int32 = -1, metadata: String? = nil) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.leaderEpoch = leaderEpoch
        self.metadata = metadata
    }
}
