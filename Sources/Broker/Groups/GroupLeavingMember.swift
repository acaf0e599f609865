/// One member named by a LeaveGroup request. v0-2 carry a single member id; v3+ a list
/// of identities, where a static member may be named by instance id with an empty member id.
struct GroupLeavingMember: Sendable, Hashable {
    var memberId: String
    var groupInstanceId: String?

    init(memberId: String, groupInstanceId: String? = nil) {
        self.memberId = memberId
        self.groupInstanceId = groupInstanceId
    }
}
