/// The outcome for one member of a LeaveGroup request (v3+ per-member error).
struct GroupLeaveMemberResult: Sendable, Equatable {
    var memberId: String
    var groupInstanceId: String?
    var error: GroupErrorCode
}
