import Testing
@testable import Broker

@Suite("ClassicGroup rebalances")
struct ClassicGroupRebalanceTests {
    @Test func secondMemberTriggersRebalanceAndFollowerWaitsForLeaderSync() {
        var h = GroupHarness()
        let a = h.stableSingleMember()
        #expect(h.group.generationId == 1)

        let bJoin = h.join(client: "b", protocols: [.init(name: "range", metadata: [0xB])])
        #expect(h.group.state == .preparingRebalance)
        #expect(h.joins[bJoin] == nil)  // waits for a to rejoin
        #expect(h.heartbeat(a, generation: 1) == .rebalanceInProgress)

        let aJoin = h.join(a, client: "a", protocols: [.init(name: "range", metadata: [0xA])])
        let leader = h.joins[aJoin]!
        let follower = h.joins[bJoin]!
        let b = follower.memberId
        #expect(h.group.state == .completingRebalance)
        #expect(leader.generationId == 2)
        #expect(follower.generationId == 2)
        #expect(leader.leaderId == a)
        #expect(follower.leaderId == a)
        #expect(leader.members == [
            GroupJoinMember(memberId: a, groupInstanceId: nil, metadata: [0xA]),
            GroupJoinMember(memberId: b, groupInstanceId: nil, metadata: [0xB]),
        ])
        #expect(follower.members.isEmpty)
        #expect(h.heartbeat(b, generation: 2) == .none)

        let bSync = h.sync(b, generation: 2)
        #expect(h.syncs[bSync] == nil)  // the follower waits for the leader
        let aSync = h.sync(a, generation: 2, assignments: [a: [0xA2], b: [0xB2]])
        #expect(h.syncs[aSync]?.assignment == [0xA2])
        #expect(h.syncs[bSync]?.assignment == [0xB2])
        #expect(h.syncs[bSync]?.protocolName == "range")
        #expect(h.group.state == .stable)
        #expect(h.heartbeat(a, generation: 2) == .none)
    }

    @Test func heartbeatErrors() {
        var h = GroupHarness()
        let a = h.stableSingleMember()
        #expect(h.heartbeat(a, generation: 0) == .illegalGeneration)
        #expect(h.heartbeat("nobody", generation: 1) == .unknownMemberId)
        h.join(client: "b")
        #expect(h.heartbeat(a, generation: 1) == .rebalanceInProgress)
    }

    @Test func metadataChangeInStableTriggersRebalance() {
        var h = GroupHarness()
        let (_, b) = h.stableTwoMembers()
        let token = h.join(b, client: "b", protocols: [.init(name: "range", metadata: [0xB, 0xFF])])
        #expect(h.joins[token] == nil)
        #expect(h.group.state == .preparingRebalance)
    }

    @Test func leaveTriggersRebalanceAndRemainingMemberBecomesLeader() {
        var h = GroupHarness()
        let (a, b) = h.stableTwoMembers()
        let result = h.leave(GroupLeavingMember(memberId: a))
        #expect(result == GroupLeaveResult(error: .none, members: [.init(memberId: a, groupInstanceId: nil, error: .none)]))
        #expect(h.group.state == .preparingRebalance)
        #expect(h.heartbeat(b, generation: 2) == .rebalanceInProgress)

        let token = h.join(b, client: "b", protocols: [.init(name: "range", metadata: [0xB])])
        let joined = h.joins[token]!
        #expect(joined.generationId == 3)
        #expect(joined.leaderId == b)
        #expect(joined.members.map(\.memberId) == [b])
        #expect(h.heartbeat(a, generation: 3) == .unknownMemberId)
    }

    @Test func lastMemberLeavingEmptiesTheGroup() {
        var h = GroupHarness()
        let a = h.stableSingleMember()
        let result = h.leave(GroupLeavingMember(memberId: a), GroupLeavingMember(memberId: "ghost"))
        #expect(result.members.map(\.error) == [.none, .unknownMemberId])
        #expect(h.group.state == .empty)
        #expect(h.group.generationId == 2)
        #expect(h.group.memberIds.isEmpty)
        #expect(h.group.isIdle)
    }

    @Test func leaveWhileFollowerWaitsForSyncAnswersItWithRebalanceInProgress() {
        var h = GroupHarness()
        let a = h.stableSingleMember()
        let bJoin = h.join(client: "b")
        h.join(a, client: "a", protocols: [.init(name: "range", metadata: [0xA])])
        let b = h.joins[bJoin]!.memberId
        let bSync = h.sync(b, generation: 2)
        _ = h.leave(GroupLeavingMember(memberId: a))
        #expect(h.syncs[bSync]?.error == .rebalanceInProgress)
        #expect(h.group.state == .preparingRebalance)
    }

    @Test func sessionTimeoutExpiresMember() {
        var h = GroupHarness()
        let (a, b) = h.stableTwoMembers(sessionMs: 10_000)
        h.advance(by: 6_000)
        #expect(h.heartbeat(b, generation: 2) == .none)
        h.advance(by: 3_999)
        #expect(h.group.state == .stable)
        h.advance(by: 1)  // a's last contact was at t=0
        #expect(h.group.state == .preparingRebalance)
        #expect(h.group.memberIds == [b])
        #expect(h.heartbeat(a, generation: 2) == .unknownMemberId)
        let token = h.join(b, client: "b", protocols: [.init(name: "range", metadata: [0xB])])
        #expect(h.joins[token]?.leaderId == b)
        #expect(h.joins[token]?.generationId == 3)
    }

    @Test func sessionTimeoutOfOnlyMemberEmptiesGroup() {
        var h = GroupHarness()
        _ = h.stableSingleMember(sessionMs: 10_000)
        h.advance(by: 10_000)
        #expect(h.group.state == .empty)
        #expect(h.group.generationId == 2)
    }

    @Test func rebalanceTimeoutRemovesMemberThatDidNotRejoin() {
        var h = GroupHarness()
        let (a, b) = h.stableTwoMembers(sessionMs: 10_000, rebalanceMs: 30_000)
        let cJoin = h.join(client: "c", sessionMs: 10_000, rebalanceMs: 30_000)
        let aJoin = h.join(a, client: "a", protocols: [.init(name: "range", metadata: [0xA])])
        // b keeps heartbeating (so its session stays alive) but never rejoins.
        for _ in 0..<5 {
            h.advance(by: 5_000)
            #expect(h.heartbeat(b, generation: 2) == .rebalanceInProgress)
        }
        #expect(h.joins[aJoin] == nil)
        h.advance(by: 5_000)  // t=30s: the rebalance timeout
        let leader = h.joins[aJoin]!
        #expect(leader.generationId == 3)
        #expect(leader.members.map(\.memberId) == [a, h.joins[cJoin]!.memberId])
        #expect(h.joins[cJoin]?.error == GroupErrorCode.none)
        #expect(h.heartbeat(b, generation: 3) == .unknownMemberId)
        #expect(h.group.state == .completingRebalance)
    }

    @Test func leaderNeverSyncingSendsGroupBackToRebalance() {
        var h = GroupHarness()
        let a = h.stableSingleMember(sessionMs: 60_000, rebalanceMs: 20_000)
        let bJoin = h.join(client: "b", sessionMs: 60_000, rebalanceMs: 20_000)
        h.join(a, client: "a", protocols: [.init(name: "range", metadata: [0xA])], sessionMs: 60_000, rebalanceMs: 20_000)
        let b = h.joins[bJoin]!.memberId
        let bSync = h.sync(b, generation: 2)
        h.advance(by: 19_999)
        #expect(h.syncs[bSync] == nil)
        h.advance(by: 1)
        // The leader that never sent SyncGroup is removed; the waiting follower must rejoin.
        #expect(h.syncs[bSync]?.error == .rebalanceInProgress)
        #expect(h.group.state == .preparingRebalance)
        #expect(h.group.memberIds == [b])
        let rejoin = h.join(b, client: "b")
        #expect(h.joins[rejoin]?.generationId == 3)
        #expect(h.joins[rejoin]?.leaderId == b)
    }

    @Test func pendingJoinOfMemberThatLeavesIsAnswered() {
        var h = GroupHarness()
        let (a, b) = h.stableTwoMembers()
        let aJoin = h.join(a, client: "a", protocols: [.init(name: "range", metadata: [0xA])])
        _ = h.leave(GroupLeavingMember(memberId: a))
        #expect(h.joins[aJoin]?.error == .unknownMemberId)
        #expect(h.group.memberIds == [b])
    }

    @Test func everyStateIsReachable() {
        var h = GroupHarness()
        #expect(h.group.state == .empty)
        let a = h.join(client: "a", protocols: [.init(name: "range", metadata: [0xA])])
        let id = h.joins[a]!.memberId
        #expect(h.group.state == .completingRebalance)  // with no initial delay the join completes at once
        h.sync(id, generation: 1, assignments: [id: [1]])
        #expect(h.group.state == .stable)
        h.join(client: "b")
        #expect(h.group.state == .preparingRebalance)
        let effects = h.group.markDead()
        #expect(effects.count == 1)  // b's pending join
        #expect(h.group.state == .dead)
        #expect(h.group.describe().stateName == "Dead")
        let late = h.join(client: "c")
        #expect(h.joins[late]?.error == .coordinatorNotAvailable)
        #expect(h.heartbeat(id, generation: 1) == .coordinatorNotAvailable)
    }

    @Test func describeReportsMembersAndAssignmentsWhenStable() {
        var h = GroupHarness()
        let (a, b) = h.stableTwoMembers()
        let description = h.group.describe()
        #expect(description.state == .stable)
        #expect(description.stateName == "Stable")
        #expect(description.protocolType == "consumer")
        #expect(description.protocolName == "range")
        #expect(description.members == [
            GroupMemberDescription(memberId: a, groupInstanceId: nil, clientId: "a", clientHost: "/127.0.0.1", metadata: [0xA], assignment: [0xA2]),
            GroupMemberDescription(memberId: b, groupInstanceId: nil, clientId: "b", clientHost: "/127.0.0.1", metadata: [0xB], assignment: [0xB2]),
        ])
        h.join(client: "c")
        let rebalancing = h.group.describe()
        #expect(rebalancing.stateName == "PreparingRebalance")
        #expect(rebalancing.protocolName == "")
        #expect(rebalancing.members.allSatisfy { $0.metadata.isEmpty && $0.assignment.isEmpty })
    }

    @Test func offsetCommitValidation() {
        var h = GroupHarness()
        // Empty group: simple commits only.
        #expect(h.group.validateOffsetCommit(memberId: "", groupInstanceId: nil, generationId: -1, now: 0) == .none)
        let a = h.joinNow(client: "a")!.memberId
        // CompletingRebalance: the member has not got its assignment yet.
        #expect(h.group.validateOffsetCommit(memberId: a, groupInstanceId: nil, generationId: 1, now: 0) == .rebalanceInProgress)
        h.sync(a, generation: 1, assignments: [a: []])
        #expect(h.group.validateOffsetCommit(memberId: a, groupInstanceId: nil, generationId: 1, now: 0) == .none)
        #expect(h.group.validateOffsetCommit(memberId: a, groupInstanceId: nil, generationId: 2, now: 0) == .illegalGeneration)
        #expect(h.group.validateOffsetCommit(memberId: "x", groupInstanceId: nil, generationId: 1, now: 0) == .unknownMemberId)
        #expect(h.group.validateOffsetCommit(memberId: "", groupInstanceId: nil, generationId: -1, now: 0) == .unknownMemberId)
        // PreparingRebalance: allowed, so consumers can commit while revoking partitions.
        h.join(client: "b")
        #expect(h.group.validateOffsetCommit(memberId: a, groupInstanceId: nil, generationId: 1, now: 0) == .none)
    }
}
