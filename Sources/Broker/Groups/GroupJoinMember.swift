/// One entry of the member list a JoinGroup response gives the leader.
struct GroupJoinMember: Sendable, Equatable {
    var memberId: String
    var groupInstanceId: String?
    /// The member's metadata for the protocol the group selected.
    var metadata: [UInt8]
}
