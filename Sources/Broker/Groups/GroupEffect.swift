/// An output of ``ClassicGroup``: a response that is now ready for a pending request.
///
/// Every JoinGroup and SyncGroup request handed to the group is answered by exactly one
/// effect carrying its token: sometimes immediately (errors, or a rejoin that changes
/// nothing), sometimes later when the join or sync phase completes, times out, or the
/// request is superseded by a newer one from the same member.
enum GroupEffect: Sendable, Equatable {
    case joinResponse(GroupRequestToken, GroupJoinResult)
    case syncResponse(GroupRequestToken, GroupSyncResult)

    /// The token of the request this effect answers.
    var token: GroupRequestToken {
        switch self {
        case .joinResponse(let token, _), .syncResponse(let token, _):
            token
        }
    }
}
