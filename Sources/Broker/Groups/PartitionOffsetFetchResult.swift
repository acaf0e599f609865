/// One partition of an OffsetFetch response: offset -1, leader epoch -1 and metadata ""
/// when the group has committed nothing for it (Kafka's answer, with no error).
struct PartitionOffsetFetchResult: Sendable, Equatable {
    var topic: String
    var partition: Int32
    var offset: Int64
    var leaderEpoch: Int32
    var metadata: String
    var error: GroupErrorCode
}
