/// A LeaveGroup response: a group-level error plus one result per named member.
///
/// For LeaveGroup v0-2 (one member, no per-member errors) send the group-level error if
/// it is not `none`, else the single member's error.
struct GroupLeaveResult: Sendable, Equatable {
    var error: GroupErrorCode
    var members: [GroupLeaveMemberResult]
}
