import Testing
@testable import Broker

@Suite("ClassicGroup static membership")
struct ClassicGroupStaticMembershipTests {
    /// A Stable group with one static member "i1"; returns its member id.
    private func stableStaticMember(_ h: inout GroupHarness) -> String {
        let token = h.join(instance: "i1", client: "a", protocols: [.init(name: "range", metadata: [0xA])], requireKnownMemberId: true)
        let result = h.joins[token]!
        // Static members are not asked for a member id round trip.
        #expect(result.error == .none)
        #expect(result.memberId.hasPrefix("i1-"))
        h.sync(result.memberId, generation: 1, instance: "i1", assignments: [result.memberId: [0xA1]])
        #expect(h.group.state == .stable)
        return result.memberId
    }

    @Test func rejoinWithUnchangedMetadataReplacesMemberWithoutRebalance() {
        var h = GroupHarness()
        let old = stableStaticMember(&h)
        let token = h.join(instance: "i1", client: "a", protocols: [.init(name: "range", metadata: [0xA])])
        let result = h.joins[token]!
        #expect(result.error == .none)
        #expect(result.memberId != old)
        #expect(result.generationId == 1)
        #expect(result.leaderId == result.memberId)
        #expect(result.skipAssignment)
        #expect(h.group.state == .stable)
        #expect(h.group.memberIds == [result.memberId])

        // The old id is fenced; the new one keeps the assignment.
        #expect(h.heartbeat(old, generation: 1, instance: "i1") == .fencedInstanceId)
        #expect(h.syncNow(old, generation: 1, instance: "i1")?.error == .fencedInstanceId)
        let oldJoin = h.join(old, instance: "i1", client: "a", protocols: [.init(name: "range", metadata: [0xA])])
        #expect(h.joins[oldJoin]?.error == .fencedInstanceId)
        #expect(h.syncNow(result.memberId, generation: 1, instance: "i1")?.assignment == [0xA1])
        #expect(h.heartbeat(result.memberId, generation: 1, instance: "i1") == .none)
    }

    @Test func rejoinWithChangedMetadataRebalances() {
        var h = GroupHarness()
        _ = stableStaticMember(&h)
        let token = h.join(instance: "i1", client: "a", protocols: [.init(name: "range", metadata: [0xA, 0xA])])
        // The only member rejoined, so the rebalance completes at once.
        #expect(h.joins[token]?.generationId == 2)
        #expect(h.group.state == .completingRebalance)
    }

    @Test func staticMemberSurvivesRebalanceTimeoutButNotSessionTimeout() {
        var h = GroupHarness()
        let s = stableStaticMember(&h)
        let dJoin = h.join(client: "d", sessionMs: 60_000)
        // The static member heartbeats but does not rejoin (e.g. it is restarting slowly).
        for _ in 0..<5 {
            h.advance(by: 5_000)
            #expect(h.heartbeat(s, generation: 1, instance: "i1") == .rebalanceInProgress)
        }
        h.advance(by: 5_000)
        // t=30s, the rebalance timeout: unlike a dynamic member, it stays in the group.
        let d = h.joins[dJoin]!
        #expect(d.generationId == 2)
        #expect(d.leaderId == d.memberId)
        #expect(d.members.map(\.memberId) == [s, d.memberId])
        #expect(h.group.memberIds.contains(s))
        h.sync(d.memberId, generation: 2, assignments: [s: [1], d.memberId: [2]])
        #expect(h.group.state == .stable)
        // Its session timeout still removes it.
        h.advance(by: 10_000)
        #expect(!h.group.memberIds.contains(s))
        #expect(h.group.state == .preparingRebalance)
    }

    @Test func leaveByInstanceId() {
        var h = GroupHarness()
        let s = stableStaticMember(&h)
        let fenced = h.leave(GroupLeavingMember(memberId: "stale", groupInstanceId: "i1"))
        #expect(fenced.members.first?.error == .fencedInstanceId)
        let unknown = h.leave(GroupLeavingMember(memberId: "", groupInstanceId: "i9"))
        #expect(unknown.members.first?.error == .unknownMemberId)
        let left = h.leave(GroupLeavingMember(memberId: "", groupInstanceId: "i1"))
        #expect(left.members.first?.error == GroupErrorCode.none)
        #expect(!h.group.memberIds.contains(s))
        #expect(h.group.state == .empty)
    }
}
