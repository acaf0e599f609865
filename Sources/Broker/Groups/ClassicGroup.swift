import Foundation

/// One consumer group under Kafka's classic group protocol, as a pure state machine.
///
/// It does no I/O and reads no clock: the caller passes the time (`now`, milliseconds)
/// with every call and calls ``tick(now:)`` regularly so deadlines fire. JoinGroup and
/// SyncGroup answers are often delayed until other members act, so the group answers
/// them as ``GroupEffect`` values, each tagged with the ``GroupRequestToken`` the caller
/// supplied with the request. Every token handed in is answered exactly once.
///
/// States and transitions (Kafka's `GroupMetadata` / `GroupCoordinator` semantics):
///
/// ```
/// Empty ──join──▶ PreparingRebalance ──all joined / timeout──▶ CompletingRebalance
///   ▲                 ▲        │ (no member left)                    │ leader's SyncGroup
///   └─────────────────┼────────┘                                     ▼
///                     └──── new member, changed metadata, leave, ── Stable
///                           session or sync expiry
/// any ──delete──▶ Dead
/// ```
///
/// Choices where Kafka leaves room, documented here once:
/// - A member that re-sends JoinGroup (or SyncGroup) while its previous one is still
///   pending gets the previous one answered with REBALANCE_IN_PROGRESS, a retriable error
///   clients handle by rejoining; the new request takes its place. Kafka silently drops
///   the old callback, which would leave a suspended caller behind in our async API.
/// - Protocol selection ties go to the protocol the leader prefers, so it is deterministic.
/// - A static member rejoining with a new member id and unchanged protocols and metadata
///   in a Stable group takes over the old member's assignment without a rebalance.
struct ClassicGroup: Sendable {
    let groupId: String
    let configuration: GroupConfiguration

    private(set) var state: GroupState = .empty
    private(set) var generationId: Int32 = 0
    /// Set by the first member to join an empty group; all members must then match it.
    private(set) var protocolType: String?
    /// The protocol selected when the last join phase completed.
    private(set) var protocolName: String?
    private(set) var leaderId: String?

    private var members: [String: GroupMember] = [:]
    /// Member ids in join order: makes leader choice, tie-breaking and listings deterministic.
    private var memberOrder: [String] = []
    /// Ids handed out with MEMBER_ID_REQUIRED, with the deadline for their rejoin.
    private var pendingMembers: [String: Int64] = [:]
    /// Group instance id → current member id of that static member.
    private var staticMembers: [String: String] = [:]
    /// Members that have not sent SyncGroup for the current generation.
    private var pendingSyncMembers: Set<String> = []
    /// When the join phase completes even if not every member rejoined.
    private var joinDeadline: Int64?
    /// While set, the first rebalance of an empty group waits for more members until then.
    private var initialDelayDeadline: Int64?
    /// How far new members may push ``initialDelayDeadline``.
    private var initialDelayLimit: Int64?
    /// When members that have not sent SyncGroup for this generation are removed.
    private var syncDeadline: Int64?
    /// Responses produced by the current call, handed back when it returns.
    private var outbox: [GroupEffect] = []

    init(groupId: String, configuration: GroupConfiguration = GroupConfiguration()) {
        self.groupId = groupId
        self.configuration = configuration
    }

    // MARK: - Inspection

    /// Current member ids, in join order.
    var memberIds: [String] { memberOrder }

    func member(_ memberId: String) -> GroupMember? { members[memberId] }

    /// Ids issued with MEMBER_ID_REQUIRED that have not rejoined yet.
    var pendingMemberIds: Set<String> { Set(pendingMembers.keys) }

    /// True when nothing but committed offsets can keep the group alive.
    var isIdle: Bool { state == .empty && pendingMembers.isEmpty }

    /// The DescribeGroups view. As in Kafka, the selected protocol and the members'
    /// metadata and assignments are reported only while the group is Stable.
    func describe() -> GroupDescription {
        let stable = state == .stable
        return GroupDescription(
            error: .none,
            groupId: groupId,
            state: state,
            protocolType: protocolType ?? "",
            protocolName: stable ? protocolName ?? "" : "",
            members: orderedMembers.map { member in
                GroupMemberDescription(
                    memberId: member.memberId,
                    groupInstanceId: member.groupInstanceId,
                    clientId: member.clientId,
                    clientHost: member.clientHost,
                    metadata: stable ? member.metadata(for: protocolName) : [],
                    assignment: stable ? member.assignment : []
                )
            }
        )
    }

    /// The ListGroups view.
    var listing: GroupListing {
        GroupListing(groupId: groupId, protocolType: protocolType ?? "", state: state)
    }

    // MARK: - JoinGroup

    /// Handles a JoinGroup request; its answer arrives as a `.joinResponse(token, …)` effect,
    /// now or from a later call.
    mutating func join(_ request: GroupJoinRequest, token: GroupRequestToken, now: Int64) -> [GroupEffect] {
        if state == .dead {
            respondJoin(token, .failure(.coordinatorNotAvailable, memberId: request.memberId))
        } else if request.sessionTimeoutMs < configuration.minSessionTimeoutMs
            || request.sessionTimeoutMs > configuration.maxSessionTimeoutMs
        {
            respondJoin(token, .failure(.invalidSessionTimeout, memberId: request.memberId))
        } else if request.memberId.isEmpty {
            joinNewMember(request, token: token, now: now)
        } else {
            joinKnownMember(request, token: token, now: now)
        }
        return takeEffects()
    }

    private mutating func joinNewMember(_ request: GroupJoinRequest, token: GroupRequestToken, now: Int64) {
        if let instanceId = request.groupInstanceId {
            let existingId = staticMembers[instanceId]
            guard supportsProtocols(of: request, excluding: existingId) else {
                respondJoin(token, .failure(.inconsistentGroupProtocol, memberId: ""))
                return
            }
            if let existingId {
                replaceStaticMember(existingId, with: request, token: token, now: now)
            } else {
                // Static members never get MEMBER_ID_REQUIRED: the instance id already
                // identifies them across retries.
                addMemberAndRebalance(Self.newMemberId(prefix: instanceId), request, token: token, now: now)
            }
            return
        }
        guard supportsProtocols(of: request, excluding: nil) else {
            respondJoin(token, .failure(.inconsistentGroupProtocol, memberId: ""))
            return
        }
        let memberId = Self.newMemberId(prefix: request.clientId)
        if request.requireKnownMemberId {
            // JoinGroup v4+: hand out the id first, so a client whose response gets lost
            // retries with an id we know instead of leaving an orphan member behind. The
            // id expires if the client does not come back within its session timeout.
            pendingMembers[memberId] = now + Int64(request.sessionTimeoutMs)
            respondJoin(token, .failure(.memberIdRequired, memberId: memberId))
        } else {
            addMemberAndRebalance(memberId, request, token: token, now: now)
        }
    }

    private mutating func joinKnownMember(_ request: GroupJoinRequest, token: GroupRequestToken, now: Int64) {
        let memberId = request.memberId
        if pendingMembers[memberId] != nil {
            guard supportsProtocols(of: request, excluding: nil) else {
                respondJoin(token, .failure(.inconsistentGroupProtocol, memberId: memberId))
                return
            }
            pendingMembers[memberId] = nil
            addMemberAndRebalance(memberId, request, token: token, now: now)
            return
        }
        if isFenced(instanceId: request.groupInstanceId, memberId: memberId) {
            respondJoin(token, .failure(.fencedInstanceId, memberId: memberId))
            return
        }
        guard let member = members[memberId] else {
            respondJoin(token, .failure(.unknownMemberId, memberId: memberId))
            return
        }
        guard supportsProtocols(of: request, excluding: memberId) else {
            respondJoin(token, .failure(.inconsistentGroupProtocol, memberId: memberId))
            return
        }
        switch state {
        case .preparingRebalance:
            updateMemberAndRebalance(memberId, request, token: token, now: now)
        case .completingRebalance:
            if member.hasSameMetadata(as: request) {
                // Most likely the client lost the join response: answer it again.
                members[memberId]?.sessionDeadline = now + Int64(member.sessionTimeoutMs)
                respondJoin(token, currentJoinResult(for: memberId))
            } else {
                updateMemberAndRebalance(memberId, request, token: token, now: now)
            }
        case .stable:
            // A rejoining leader may have seen a metadata change (e.g. new partitions) that
            // needs a new assignment, so it always triggers a rebalance, as in Kafka.
            if memberId == leaderId || !member.hasSameMetadata(as: request) {
                updateMemberAndRebalance(memberId, request, token: token, now: now)
            } else {
                members[memberId]?.sessionDeadline = now + Int64(member.sessionTimeoutMs)
                respondJoin(token, currentJoinResult(for: memberId))
            }
        case .empty, .dead:
            respondJoin(token, .failure(.unknownMemberId, memberId: memberId))
        }
    }

    private mutating func addMemberAndRebalance(
        _ memberId: String, _ request: GroupJoinRequest, token: GroupRequestToken, now: Int64
    ) {
        if members.isEmpty {
            protocolType = request.protocolType
        }
        members[memberId] = GroupMember(
            memberId: memberId,
            groupInstanceId: request.groupInstanceId,
            clientId: request.clientId,
            clientHost: request.clientHost,
            sessionTimeoutMs: request.sessionTimeoutMs,
            rebalanceTimeoutMs: request.rebalanceTimeoutMs,
            protocolType: request.protocolType,
            protocols: request.protocols,
            pendingJoin: token,
            sessionDeadline: now + Int64(request.sessionTimeoutMs)
        )
        memberOrder.append(memberId)
        if let instanceId = request.groupInstanceId {
            staticMembers[instanceId] = memberId
        }
        if leaderId == nil {
            leaderId = memberId
        }
        if let deadline = initialDelayDeadline, let limit = initialDelayLimit {
            // Each newcomer during the initial delay buys the others another delay, so a
            // fleet starting together ends up in one generation.
            initialDelayDeadline = min(max(deadline, now + configuration.initialRebalanceDelayMs), limit)
        }
        prepareRebalanceIfNeeded(now: now)
        tryCompleteJoin(now: now)
    }

    private mutating func updateMemberAndRebalance(
        _ memberId: String, _ request: GroupJoinRequest, token: GroupRequestToken, now: Int64
    ) {
        guard var member = members[memberId] else { return }
        if let previous = member.pendingJoin {
            respondJoin(previous, .failure(.rebalanceInProgress, memberId: memberId))
        }
        member.protocolType = request.protocolType
        member.protocols = request.protocols
        member.sessionTimeoutMs = request.sessionTimeoutMs
        member.rebalanceTimeoutMs = request.rebalanceTimeoutMs
        member.pendingJoin = token
        member.sessionDeadline = now + Int64(request.sessionTimeoutMs)
        members[memberId] = member
        if members.count == 1 {
            // The sole member may switch protocol type; nobody else has to agree.
            protocolType = request.protocolType
        }
        prepareRebalanceIfNeeded(now: now)
        tryCompleteJoin(now: now)
    }

    /// A static member came back with an empty member id (e.g. after a restart): it gets a
    /// new member id, the old id is fenced, and no rebalance happens if nothing changed.
    private mutating func replaceStaticMember(
        _ oldId: String, with request: GroupJoinRequest, token: GroupRequestToken, now: Int64
    ) {
        guard var member = members[oldId], let instanceId = request.groupInstanceId else { return }
        let newId = Self.newMemberId(prefix: instanceId)
        if let previous = member.pendingJoin {
            respondJoin(previous, .failure(.fencedInstanceId, memberId: oldId))
        }
        if let previous = member.pendingSync {
            respondSync(previous, .failure(.fencedInstanceId))
        }
        let unchanged = member.hasSameMetadata(as: request)
        member.memberId = newId
        member.clientId = request.clientId
        member.clientHost = request.clientHost
        member.sessionTimeoutMs = request.sessionTimeoutMs
        member.rebalanceTimeoutMs = request.rebalanceTimeoutMs
        member.protocolType = request.protocolType
        member.protocols = request.protocols
        member.pendingJoin = nil
        member.pendingSync = nil
        member.sessionDeadline = now + Int64(request.sessionTimeoutMs)

        members[oldId] = nil
        members[newId] = member
        if let index = memberOrder.firstIndex(of: oldId) {
            memberOrder[index] = newId
        }
        staticMembers[instanceId] = newId
        if leaderId == oldId {
            leaderId = newId
        }
        if pendingSyncMembers.remove(oldId) != nil {
            pendingSyncMembers.insert(newId)
        }
        if members.count == 1 {
            protocolType = request.protocolType
        }

        switch state {
        case .stable where unchanged:
            // The member keeps its assignment; it fetches it with SyncGroup under its new id.
            respondJoin(token, currentJoinResult(for: newId, skipAssignment: newId == leaderId))
        case .stable, .completingRebalance:
            // In CompletingRebalance the leader is computing assignments keyed by the old
            // id, so the new id would get nothing: rebalance.
            members[newId]?.pendingJoin = token
            prepareRebalance(now: now)
            tryCompleteJoin(now: now)
        case .preparingRebalance:
            members[newId]?.pendingJoin = token
            tryCompleteJoin(now: now)
        case .empty, .dead:
            // Unreachable: a static mapping exists only while its member does.
            respondJoin(token, .failure(.unknownMemberId, memberId: newId))
        }
    }

    // MARK: - SyncGroup

    /// Handles a SyncGroup request; its answer arrives as a `.syncResponse(token, …)`
    /// effect, now (errors, Stable) or when the leader's assignment arrives.
    mutating func sync(_ request: GroupSyncRequest, token: GroupRequestToken, now: Int64) -> [GroupEffect] {
        let memberId = request.memberId
        if let error = syncError(for: request) {
            respondSync(token, .failure(error))
            return takeEffects()
        }
        switch state {
        case .preparingRebalance:
            respondSync(token, .failure(.rebalanceInProgress))
        case .completingRebalance:
            if let previous = members[memberId]?.pendingSync {
                respondSync(previous, .failure(.rebalanceInProgress))
            }
            members[memberId]?.pendingSync = token
            refreshSession(memberId, now: now)
            markSynced(memberId)
            if memberId == leaderId {
                for id in memberOrder {
                    // Members the leader left out get an empty assignment, as in Kafka.
                    members[id]?.assignment = request.assignments[id] ?? []
                }
                state = .stable
                for id in memberOrder {
                    guard let waiting = members[id]?.pendingSync else { continue }
                    members[id]?.pendingSync = nil
                    refreshSession(id, now: now)
                    respondSync(waiting, successfulSync(for: id))
                }
            }
        case .stable:
            refreshSession(memberId, now: now)
            markSynced(memberId)
            respondSync(token, successfulSync(for: memberId))
        case .empty, .dead:
            respondSync(token, .failure(.unknownMemberId))
        }
        return takeEffects()
    }

    private func syncError(for request: GroupSyncRequest) -> GroupErrorCode? {
        if state == .dead { return .coordinatorNotAvailable }
        if isFenced(instanceId: request.groupInstanceId, memberId: request.memberId) { return .fencedInstanceId }
        if members[request.memberId] == nil { return .unknownMemberId }
        if request.generationId != generationId { return .illegalGeneration }
        if let type = request.protocolType, type != protocolType { return .inconsistentGroupProtocol }
        if let name = request.protocolName, name != protocolName { return .inconsistentGroupProtocol }
        return nil
    }

    private func successfulSync(for memberId: String) -> GroupSyncResult {
        GroupSyncResult(
            error: .none, protocolType: protocolType, protocolName: protocolName,
            assignment: members[memberId]?.assignment ?? []
        )
    }

    private mutating func markSynced(_ memberId: String) {
        pendingSyncMembers.remove(memberId)
        if pendingSyncMembers.isEmpty {
            syncDeadline = nil
        }
    }

    // MARK: - Heartbeat, LeaveGroup, OffsetCommit checks

    /// Handles a Heartbeat and refreshes the member's session when it is accepted.
    mutating func heartbeat(memberId: String, groupInstanceId: String?, generationId: Int32, now: Int64) -> GroupErrorCode {
        if state == .dead { return .coordinatorNotAvailable }
        if isFenced(instanceId: groupInstanceId, memberId: memberId) { return .fencedInstanceId }
        guard members[memberId] != nil else { return .unknownMemberId }
        guard generationId == self.generationId else { return .illegalGeneration }
        switch state {
        case .empty, .dead:
            return .unknownMemberId
        case .completingRebalance, .stable:
            // Members may heartbeat between their JoinGroup and SyncGroup responses.
            refreshSession(memberId, now: now)
            return .none
        case .preparingRebalance:
            refreshSession(memberId, now: now)
            return .rebalanceInProgress
        }
    }

    /// Removes the named members. A static member may be named by instance id alone.
    mutating func leave(_ leaving: [GroupLeavingMember], now: Int64) -> (result: GroupLeaveResult, effects: [GroupEffect]) {
        guard state != .dead else {
            return (GroupLeaveResult(error: .coordinatorNotAvailable, members: []), [])
        }
        var results: [GroupLeaveMemberResult] = []
        for identity in leaving {
            let error: GroupErrorCode
            if let instanceId = identity.groupInstanceId {
                if let existingId = staticMembers[instanceId] {
                    if !identity.memberId.isEmpty && identity.memberId != existingId {
                        error = .fencedInstanceId
                    } else {
                        removeMemberAndUpdateGroup(existingId, now: now)
                        error = .none
                    }
                } else {
                    error = .unknownMemberId
                }
            } else if pendingMembers.removeValue(forKey: identity.memberId) != nil {
                tryCompleteJoin(now: now)
                error = .none
            } else if members[identity.memberId] != nil {
                removeMemberAndUpdateGroup(identity.memberId, now: now)
                error = .none
            } else {
                error = .unknownMemberId
            }
            results.append(GroupLeaveMemberResult(
                memberId: identity.memberId, groupInstanceId: identity.groupInstanceId, error: error
            ))
        }
        return (GroupLeaveResult(error: .none, members: results), takeEffects())
    }

    /// Checks whether an OffsetCommit from this member may be stored (Kafka's rules), and
    /// refreshes the member's session when it may.
    ///
    /// A negative generation is a "simple" commit from a consumer that does not use group
    /// management; it is allowed while the group has no members. Commits during
    /// PreparingRebalance are allowed, as in Kafka: consumers commit in their revocation
    /// callback while the rebalance runs. During CompletingRebalance the member has not got
    /// its new assignment yet, so it gets REBALANCE_IN_PROGRESS.
    mutating func validateOffsetCommit(
        memberId: String, groupInstanceId: String?, generationId: Int32, now: Int64
    ) -> GroupErrorCode {
        if state == .dead { return .coordinatorNotAvailable }
        if isFenced(instanceId: groupInstanceId, memberId: memberId) { return .fencedInstanceId }
        if generationId < 0 && state == .empty { return .none }
        guard members[memberId] != nil else { return .unknownMemberId }
        guard generationId == self.generationId else { return .illegalGeneration }
        switch state {
        case .stable, .preparingRebalance:
            refreshSession(memberId, now: now)
            return .none
        case .completingRebalance:
            return .rebalanceInProgress
        case .empty, .dead:
            return .unknownMemberId
        }
    }

    /// Marks the group deleted; any pending request is answered COORDINATOR_NOT_AVAILABLE
    /// so its client looks the coordinator up again.
    mutating func markDead() -> [GroupEffect] {
        for member in orderedMembers {
            if let token = member.pendingJoin {
                respondJoin(token, .failure(.coordinatorNotAvailable, memberId: member.memberId))
            }
            if let token = member.pendingSync {
                respondSync(token, .failure(.coordinatorNotAvailable))
            }
        }
        members = [:]
        memberOrder = []
        pendingMembers = [:]
        staticMembers = [:]
        pendingSyncMembers = []
        joinDeadline = nil
        initialDelayDeadline = nil
        initialDelayLimit = nil
        syncDeadline = nil
        leaderId = nil
        protocolName = nil
        state = .dead
        return takeEffects()
    }

    // MARK: - Time

    /// Fires every deadline that has passed at `now`: expired MEMBER_ID_REQUIRED ids,
    /// session timeouts, the initial delay, the join phase and the sync phase.
    mutating func tick(now: Int64) -> [GroupEffect] {
        guard state != .dead else { return [] }

        let expiredPending = pendingMembers.filter { $0.value <= now }.map(\.key)
        if !expiredPending.isEmpty {
            for memberId in expiredPending {
                pendingMembers[memberId] = nil
            }
            tryCompleteJoin(now: now)
        }

        for memberId in memberOrder where members[memberId]?.isExpired(at: now) == true {
            removeMemberAndUpdateGroup(memberId, now: now)
        }

        if state == .preparingRebalance, let deadline = initialDelayDeadline, now >= deadline {
            completeJoin(now: now)
        }
        if state == .preparingRebalance, let deadline = joinDeadline, now >= deadline {
            completeJoin(now: now)
        }

        if state == .completingRebalance || state == .stable, let deadline = syncDeadline, now >= deadline {
            // Kafka's pending-sync expiry: whoever has not sent SyncGroup for this
            // generation (typically a leader that never delivers the assignment) is removed,
            // and the rest rebalance without it.
            let laggards = memberOrder.filter { pendingSyncMembers.contains($0) }
            for memberId in laggards {
                removeMember(memberId)
            }
            prepareRebalance(now: now)
            tryCompleteJoin(now: now)
        }
        return takeEffects()
    }

    // MARK: - Rebalance mechanics

    private mutating func prepareRebalanceIfNeeded(now: Int64) {
        switch state {
        case .empty, .stable, .completingRebalance:
            prepareRebalance(now: now)
        case .preparingRebalance, .dead:
            break
        }
    }

    private mutating func prepareRebalance(now: Int64) {
        if state == .completingRebalance {
            // The assignment the leader is computing is obsolete: members waiting for it
            // must rejoin.
            for memberId in memberOrder {
                members[memberId]?.assignment = []
                if let waiting = members[memberId]?.pendingSync {
                    members[memberId]?.pendingSync = nil
                    respondSync(waiting, .failure(.rebalanceInProgress))
                }
            }
        }
        pendingSyncMembers = []
        syncDeadline = nil
        let wasEmpty = state == .empty
        state = .preparingRebalance
        if wasEmpty && configuration.initialRebalanceDelayMs > 0 {
            initialDelayDeadline = now + configuration.initialRebalanceDelayMs
            initialDelayLimit = now + max(rebalanceTimeoutMs, configuration.initialRebalanceDelayMs)
            joinDeadline = nil
        } else {
            initialDelayDeadline = nil
            initialDelayLimit = nil
            joinDeadline = now + rebalanceTimeoutMs
        }
    }

    /// Completes the join phase early once every member has rejoined and every id handed
    /// out with MEMBER_ID_REQUIRED is back (or expired). The initial delay of an empty
    /// group always runs to its end.
    private mutating func tryCompleteJoin(now: Int64) {
        guard state == .preparingRebalance, initialDelayDeadline == nil else { return }
        guard pendingMembers.isEmpty, members.values.allSatisfy(\.isAwaitingJoin) else { return }
        completeJoin(now: now)
    }

    private mutating func completeJoin(now: Int64) {
        joinDeadline = nil
        initialDelayDeadline = nil
        initialDelayLimit = nil

        // Dynamic members that did not rejoin in time are gone. Static members stay until
        // their session expires: their instance is expected back, e.g. after a restart.
        for memberId in memberOrder {
            if let member = members[memberId], !member.isAwaitingJoin, !member.isStatic {
                removeMember(memberId)
            }
        }

        if members.isEmpty {
            generationId += 1
            protocolName = nil
            leaderId = nil
            state = .empty
            return
        }
        guard electJoinedLeader() else {
            // Only static members that did not rejoin remain: give them another rebalance
            // timeout (their session timeout removes them otherwise), as Kafka does.
            joinDeadline = now + rebalanceTimeoutMs
            return
        }

        generationId += 1
        protocolName = selectProtocol()
        state = .completingRebalance
        pendingSyncMembers = Set(memberOrder)
        syncDeadline = now + rebalanceTimeoutMs

        let leaderView = joinMembers()
        for memberId in memberOrder {
            guard let token = members[memberId]?.pendingJoin else { continue }
            members[memberId]?.pendingJoin = nil
            refreshSession(memberId, now: now)
            respondJoin(token, GroupJoinResult(
                error: .none,
                generationId: generationId,
                protocolType: protocolType,
                protocolName: protocolName,
                leaderId: leaderId ?? "",
                memberId: memberId,
                members: memberId == leaderId ? leaderView : []
            ))
        }
    }

    /// Keeps the current leader if it rejoined, else picks the longest-standing member that
    /// did. Returns false when nobody rejoined.
    private mutating func electJoinedLeader() -> Bool {
        if let leaderId, members[leaderId]?.isAwaitingJoin == true {
            return true
        }
        guard let first = memberOrder.first(where: { members[$0]?.isAwaitingJoin == true }) else {
            return false
        }
        leaderId = first
        return true
    }

    /// Kafka's selection: among the protocols every member supports, each member votes for
    /// the first one in its own preference order, and the most votes win. Ties go to the
    /// leader's preference so the result is deterministic.
    private func selectProtocol() -> String? {
        guard let leader = leaderId.flatMap({ members[$0] }) else { return nil }
        var candidates = Set(leader.protocols.map(\.name))
        for member in members.values {
            candidates.formIntersection(member.protocols.map(\.name))
        }
        var votes: [String: Int] = [:]
        for member in members.values {
            if let choice = member.vote(among: candidates) {
                votes[choice, default: 0] += 1
            }
        }
        var winner: String?
        var winnerVotes = -1
        for name in leader.protocols.map(\.name) where candidates.contains(name) {
            let count = votes[name, default: 0]
            if count > winnerVotes {
                winner = name
                winnerVotes = count
            }
        }
        return winner
    }

    /// Whether a joining member fits the group: it must offer a protocol type and at least
    /// one protocol, and, if there are other members, use their protocol type and share at
    /// least one protocol with all of them. The joining member's own previous protocols
    /// (`excluding`) do not count, so a sole member may change them freely.
    private func supportsProtocols(of request: GroupJoinRequest, excluding memberId: String?) -> Bool {
        guard !request.protocolType.isEmpty, !request.protocols.isEmpty else { return false }
        let others = members.values.filter { $0.memberId != memberId }
        guard !others.isEmpty else { return true }
        guard request.protocolType == protocolType else { return false }
        var common = Set(request.protocols.map(\.name))
        for member in others {
            common.formIntersection(member.protocols.map(\.name))
        }
        return !common.isEmpty
    }

    // MARK: - Membership helpers

    /// Removes a member, answering its pending requests, and moves the group on: a Stable
    /// or CompletingRebalance group rebalances, a PreparingRebalance group may now complete.
    private mutating func removeMemberAndUpdateGroup(_ memberId: String, now: Int64) {
        guard let member = members[memberId] else { return }
        if let token = member.pendingJoin {
            respondJoin(token, .failure(.unknownMemberId, memberId: memberId))
        }
        if let token = member.pendingSync {
            respondSync(token, .failure(.unknownMemberId))
        }
        removeMember(memberId)
        switch state {
        case .stable, .completingRebalance:
            prepareRebalance(now: now)
            tryCompleteJoin(now: now)
        case .preparingRebalance:
            tryCompleteJoin(now: now)
        case .empty, .dead:
            break
        }
    }

    private mutating func removeMember(_ memberId: String) {
        guard let member = members.removeValue(forKey: memberId) else { return }
        memberOrder.removeAll { $0 == memberId }
        if let instanceId = member.groupInstanceId, staticMembers[instanceId] == memberId {
            staticMembers[instanceId] = nil
        }
        pendingSyncMembers.remove(memberId)
        if leaderId == memberId {
            leaderId = memberOrder.first
        }
    }

    private func isFenced(instanceId: String?, memberId: String) -> Bool {
        guard let instanceId, let current = staticMembers[instanceId] else { return false }
        return current != memberId
    }

    private mutating func refreshSession(_ memberId: String, now: Int64) {
        guard let timeout = members[memberId]?.sessionTimeoutMs else { return }
        members[memberId]?.sessionDeadline = now + Int64(timeout)
    }

    /// The group's rebalance timeout: the largest of its members' (Kafka's rule).
    private var rebalanceTimeoutMs: Int64 {
        Int64(members.values.map(\.rebalanceTimeoutMs).max() ?? 0)
    }

    private var orderedMembers: [GroupMember] {
        memberOrder.compactMap { members[$0] }
    }

    /// The member list the leader receives: every member with its metadata for the
    /// selected protocol.
    private func joinMembers() -> [GroupJoinMember] {
        orderedMembers.map {
            GroupJoinMember(memberId: $0.memberId, groupInstanceId: $0.groupInstanceId, metadata: $0.metadata(for: protocolName))
        }
    }

    /// The answer for a member rejoining without changes: the current generation as is.
    private func currentJoinResult(for memberId: String, skipAssignment: Bool = false) -> GroupJoinResult {
        GroupJoinResult(
            error: .none,
            generationId: generationId,
            protocolType: protocolType,
            protocolName: protocolName,
            leaderId: leaderId ?? "",
            memberId: memberId,
            members: memberId == leaderId ? joinMembers() : [],
            skipAssignment: skipAssignment
        )
    }

    private static func newMemberId(prefix: String) -> String {
        "\(prefix)-\(UUID().uuidString.lowercased())"
    }

    // MARK: - Effects

    private mutating func respondJoin(_ token: GroupRequestToken, _ result: GroupJoinResult) {
        outbox.append(.joinResponse(token, result))
    }

    private mutating func respondSync(_ token: GroupRequestToken, _ result: GroupSyncResult) {
        outbox.append(.syncResponse(token, result))
    }

    private mutating func takeEffects() -> [GroupEffect] {
        defer { outbox = [] }
        return outbox
    }
}
