import Testing
@testable import Broker

/// Drives a ``ClassicGroup`` in tests: hands out tokens, keeps the time, and records every
/// answer by token (checking that no request is answered twice).
struct GroupHarness {
    static let range = GroupJoinProtocol(name: "range", metadata: [1])

    var group: ClassicGroup
    private(set) var now: Int64 = 0
    private var lastToken: UInt64 = 0
    private(set) var joins: [GroupRequestToken: GroupJoinResult] = [:]
    private(set) var syncs: [GroupRequestToken: GroupSyncResult] = [:]

    init(initialDelayMs: Int64 = 0) {
        group = ClassicGroup(
            groupId: "g",
            configuration: GroupConfiguration(initialRebalanceDelayMs: initialDelayMs)
        )
    }

    /// Sends JoinGroup and returns its token; the answer, once there, is in ``joins``.
    @discardableResult
    mutating func join(
        _ memberId: String = "",
        instance: String? = nil,
        client: String = "client",
        protocolType: String = "consumer",
        protocols: [GroupJoinProtocol] = [GroupHarness.range],
        sessionMs: Int32 = 10_000,
        rebalanceMs: Int32 = 30_000,
        requireKnownMemberId: Bool = false
    ) -> GroupRequestToken {
        let token = nextToken()
        let request = GroupJoinRequest(
            groupId: "g", memberId: memberId, groupInstanceId: instance, clientId: client,
            clientHost: "/127.0.0.1", sessionTimeoutMs: sessionMs, rebalanceTimeoutMs: rebalanceMs,
            protocolType: protocolType, protocols: protocols, requireKnownMemberId: requireKnownMemberId
        )
        record(group.join(request, token: token, now: now))
        return token
    }

    /// Sends SyncGroup and returns its token; the answer, once there, is in ``syncs``.
    @discardableResult
    mutating func sync(
        _ memberId: String, generation: Int32, instance: String? = nil,
        protocolName: String? = nil, assignments: [String: [UInt8]] = [:]
    ) -> GroupRequestToken {
        let token = nextToken()
        let request = GroupSyncRequest(
            groupId: "g", memberId: memberId, groupInstanceId: instance, generationId: generation,
            protocolName: protocolName, assignments: assignments
        )
        record(group.sync(request, token: token, now: now))
        return token
    }

    /// Sends SyncGroup and returns its answer if it came at once.
    mutating func syncNow(
        _ memberId: String, generation: Int32, instance: String? = nil, protocolName: String? = nil
    ) -> GroupSyncResult? {
        let token = sync(memberId, generation: generation, instance: instance, protocolName: protocolName)
        return syncs[token]
    }

    mutating func heartbeat(_ memberId: String, generation: Int32, instance: String? = nil) -> GroupErrorCode {
        group.heartbeat(memberId: memberId, groupInstanceId: instance, generationId: generation, now: now)
    }

    mutating func leave(_ members: GroupLeavingMember...) -> GroupLeaveResult {
        let (result, effects) = group.leave(members, now: now)
        record(effects)
        return result
    }

    /// Moves time forward and fires the deadlines.
    mutating func advance(by milliseconds: Int64) {
        now += milliseconds
        record(group.tick(now: now))
    }

    /// Joins a dynamic member and returns its id; the join must complete immediately
    /// (initial delay 0, or every other member already waiting).
    mutating func joinNow(client: String = "client", protocols: [GroupJoinProtocol] = [GroupHarness.range],
                          sessionMs: Int32 = 10_000, rebalanceMs: Int32 = 30_000) -> GroupJoinResult? {
        let token = join(client: client, protocols: protocols, sessionMs: sessionMs, rebalanceMs: rebalanceMs)
        return joins[token]
    }

    /// A Stable group of one member (the leader) at generation 1; returns the member id.
    mutating func stableSingleMember(sessionMs: Int32 = 10_000, rebalanceMs: Int32 = 30_000) -> String {
        let result = joinNow(client: "a", protocols: [.init(name: "range", metadata: [0xA])],
                             sessionMs: sessionMs, rebalanceMs: rebalanceMs)!
        sync(result.memberId, generation: result.generationId, assignments: [result.memberId: [0xA1]])
        return result.memberId
    }

    /// A Stable group of two members at generation 2; returns (leader, follower).
    mutating func stableTwoMembers(sessionMs: Int32 = 10_000, rebalanceMs: Int32 = 30_000) -> (String, String) {
        let a = stableSingleMember(sessionMs: sessionMs, rebalanceMs: rebalanceMs)
        let bToken = join(client: "b", protocols: [.init(name: "range", metadata: [0xB])],
                          sessionMs: sessionMs, rebalanceMs: rebalanceMs)
        join(a, client: "a", protocols: [.init(name: "range", metadata: [0xA])],
             sessionMs: sessionMs, rebalanceMs: rebalanceMs)
        let b = joins[bToken]!.memberId
        sync(b, generation: 2)
        sync(a, generation: 2, assignments: [a: [0xA2], b: [0xB2]])
        return (a, b)
    }

    private mutating func nextToken() -> GroupRequestToken {
        lastToken += 1
        return GroupRequestToken(lastToken)
    }

    private mutating func record(_ effects: [GroupEffect]) {
        for effect in effects {
            switch effect {
            case .joinResponse(let token, let result):
                #expect(joins[token] == nil, "join \(token) answered twice")
                joins[token] = result
            case .syncResponse(let token, let result):
                #expect(syncs[token] == nil, "sync \(token) answered twice")
                syncs[token] = result
            }
        }
    }
}
