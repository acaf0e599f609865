/// A Heartbeat request, independent of the wire version (`groupInstanceId` from v3).
struct GroupHeartbeatRequest: Sendable, Equatable {
    var groupId: String
    var memberId: String
    var groupInstanceId: String?
    var generationId: Int32

    init(groupId: String, memberId: String, groupInstanceId: String? = nil, generationId: Int32) {
        self.groupId = groupId
        self.memberId = memberId
        self.groupInstanceId = groupInstanceId
        self.generationId = generationId
    }
}
