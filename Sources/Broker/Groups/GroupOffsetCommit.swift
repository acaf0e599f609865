/// An OffsetCommit request, independent of the wire version.
///
/// v0 has no generation or member: pass -1 and "" (a "simple" commit). The v1 per-partition
/// timestamp and the v2-v4 retention time are ignored: committed offsets do not expire here.
struct GroupOffsetCommit: Sendable, Equatable {
    var groupId: String
    var memberId: String
    var groupInstanceId: String?
    var generationId: Int32
    var offsets: [PartitionOffsetCommit]

    init(
        groupId: String,
        memberId: String = "",
        groupInstanceId: String? = nil,
        generationId: Int32 = -1,
        offsets: [PartitionOffsetCommit]
    ) {
        self.groupId = groupId
        self.memberId = memberId
        self.groupInstanceId = groupInstanceId
        self.generationId = generationId
        self.offsets = offsets
    }
}
