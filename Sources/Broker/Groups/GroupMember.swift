/// A member of a ``ClassicGroup`` as the coordinator tracks it.
struct GroupMember: Sendable, Equatable {
    var memberId: String
    var groupInstanceId: String?
    var clientId: String
    var clientHost: String
    var sessionTimeoutMs: Int32
    var rebalanceTimeoutMs: Int32
    var protocolType: String
    /// In the member's order of preference.
    var protocols: [GroupJoinProtocol]
    /// Assignment bytes from the leader's last SyncGroup.
    var assignment: [UInt8] = []
    /// The JoinGroup request waiting for the join phase to complete, if any.
    var pendingJoin: GroupRequestToken?
    /// The SyncGroup request waiting for the leader's assignment, if any.
    var pendingSync: GroupRequestToken?
    /// When the member expires unless it heartbeats (or joins, syncs, commits) again.
    var sessionDeadline: Int64

    var isAwaitingJoin: Bool { pendingJoin != nil }
    var isAwaitingSync: Bool { pendingSync != nil }
    var isStatic: Bool { groupInstanceId != nil }

    /// The member's metadata for `protocolName`, empty if it does not offer it.
    func metadata(for protocolName: String?) -> [UInt8] {
        protocols.first(where: { $0.name == protocolName })?.metadata ?? []
    }

    /// The member's most preferred protocol among `candidates`.
    func vote(among candidates: Set<String>) -> String? {
        protocols.first(where: { candidates.contains($0.name) })?.name
    }

    /// Whether a rejoin carries the same protocols and metadata, i.e. needs no rebalance.
    func hasSameMetadata(as request: GroupJoinRequest) -> Bool {
        protocolType == request.protocolType && protocols == request.protocols
    }

    /// Whether the session timer may expire the member now. A member waiting for a join or
    /// sync response is waiting on us, not the other way round, so it is kept alive; the
    /// rebalance and sync deadlines bound those waits instead (as in Kafka).
    func isExpired(at now: Int64) -> Bool {
        !isAwaitingJoin && !isAwaitingSync && now >= sessionDeadline
    }
}
