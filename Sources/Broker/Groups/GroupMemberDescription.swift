/// One member as DescribeGroups reports it.
struct GroupMemberDescription: Sendable, Equatable {
    var memberId: String
    var groupInstanceId: String?
    var clientId: String
    var clientHost: String
    /// The metadata for the selected protocol; empty unless the group is Stable (as in Kafka).
    var metadata: [UInt8]
    /// The member's assignment; empty unless the group is Stable (as in Kafka).
    var assignment: [UInt8]
}
