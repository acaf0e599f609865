/// A JoinGroup request, independent of the wire version.
///
/// Mapping from the wire: v0 has no rebalance timeout, pass `sessionTimeoutMs` for it (as
/// Kafka does); `groupInstanceId` exists from v5; `requireKnownMemberId` is true for v4+.
struct GroupJoinRequest: Sendable, Equatable {
    var groupId: String
    /// Empty for a member's first join.
    var memberId: String
    var groupInstanceId: String?
    var clientId: String
    var clientHost: String
    var sessionTimeoutMs: Int32
    var rebalanceTimeoutMs: Int32
    var protocolType: String
    /// In the member's order of preference.
    var protocols: [GroupJoinProtocol]
    var requireKnownMemberId: Bool

    init(
        groupId: String,
        memberId: String = "",
        groupInstanceId: String? = nil,
        clientId: String,
        clientHost: String,
        sessionTimeoutMs: Int32,
        rebalanceTimeoutMs: Int32,
        protocolType: String,
        protocols: [GroupJoinProtocol],
        requireKnownMemberId: Bool
    ) {
        self.groupId = groupId
        self.memberId = memberId
        self.groupInstanceId = groupInstanceId
        self.clientId = clientId
        self.clientHost = clientHost
        self.sessionTimeoutMs = sessionTimeoutMs
        self.rebalanceTimeoutMs = rebalanceTimeoutMs
        self.protocolType = protocolType
        self.protocols = protocols
        self.requireKnownMemberId = requireKnownMemberId
    }
}
