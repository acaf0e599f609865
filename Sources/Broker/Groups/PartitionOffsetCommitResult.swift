/// The outcome of an OffsetCommit for one partition.
struct PartitionOffsetCommitResult: Sendable, Equatable {
    var topic: String
    var partition: Int32
    var error: GroupErrorCode
}
