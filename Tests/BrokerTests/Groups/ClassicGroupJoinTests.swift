import Testing
@testable import Broker

@Suite("ClassicGroup join and sync")
struct ClassicGroupJoinTests {
    @Test func newGroupIsEmpty() {
        let harness = GroupHarness()
        #expect(harness.group.state == .empty)
        #expect(harness.group.generationId == 0)
        #expect(harness.group.describe().stateName == "Empty")
    }

    @Test func memberIdRequiredFlow() {
        var h = GroupHarness()
        let first = h.join(client: "rdkafka", requireKnownMemberId: true)
        let required = h.joins[first]!
        #expect(required.error == .memberIdRequired)
        #expect(required.memberId.hasPrefix("rdkafka-"))
        #expect(required.memberId.count > "rdkafka-".count + 30)  // a UUID follows
        // Handing out an id does not start a rebalance.
        #expect(h.group.state == .empty)
        #expect(h.group.pendingMemberIds == [required.memberId])

        let second = h.join(required.memberId, client: "rdkafka", requireKnownMemberId: true)
        let joined = h.joins[second]!
        #expect(joined.error == .none)
        #expect(joined.memberId == required.memberId)
        #expect(joined.generationId == 1)
        #expect(joined.leaderId == required.memberId)
        #expect(joined.protocolType == "consumer")
        #expect(joined.protocolName == "range")
        #expect(joined.members == [GroupJoinMember(memberId: required.memberId, groupInstanceId: nil, metadata: [1])])
        #expect(h.group.state == .completingRebalance)
        #expect(h.group.pendingMemberIds.isEmpty)
    }

    @Test func unclaimedMemberIdExpiresAfterSessionTimeout() {
        var h = GroupHarness()
        let token = h.join(requireKnownMemberId: true)
        let id = h.joins[token]!.memberId
        h.advance(by: 10_000)
        #expect(h.group.pendingMemberIds.isEmpty)
        let late = h.join(id, requireKnownMemberId: true)
        #expect(h.joins[late]?.error == .unknownMemberId)
    }

    @Test func singleMemberReachesStable() {
        var h = GroupHarness()
        let joined = h.joinNow()!
        #expect(h.group.state == .completingRebalance)
        let sync = h.sync(joined.memberId, generation: 1, assignments: [joined.memberId: [7, 8, 9]])
        let result = h.syncs[sync]!
        #expect(result == GroupSyncResult(error: .none, protocolType: "consumer", protocolName: "range", assignment: [7, 8, 9]))
        #expect(h.group.state == .stable)
        #expect(h.heartbeat(joined.memberId, generation: 1) == .none)
    }

    @Test func unknownMemberIdIsRejected() {
        var h = GroupHarness()
        _ = h.stableSingleMember()
        let token = h.join("nobody")
        #expect(h.joins[token]?.error == .unknownMemberId)
        #expect(h.group.state == .stable)
    }

    @Test func invalidSessionTimeoutIsRejected() {
        var h = GroupHarness()
        let tooShort = h.join(sessionMs: 100)
        let tooLong = h.join(sessionMs: 2_000_000)
        #expect(h.joins[tooShort]?.error == .invalidSessionTimeout)
        #expect(h.joins[tooLong]?.error == .invalidSessionTimeout)
        #expect(h.group.state == .empty)
    }

    @Test func inconsistentProtocolIsRejected() {
        var h = GroupHarness()
        _ = h.stableSingleMember()
        let otherProtocol = h.join(protocols: [.init(name: "roundrobin", metadata: [])])
        let otherType = h.join(protocolType: "connect")
        #expect(h.joins[otherProtocol]?.error == .inconsistentGroupProtocol)
        #expect(h.joins[otherType]?.error == .inconsistentGroupProtocol)
        #expect(h.group.state == .stable)
        #expect(h.group.memberIds.count == 1)

        var empty = GroupHarness()
        let noProtocols = empty.join(protocols: [])
        let noType = empty.join(protocolType: "")
        #expect(empty.joins[noProtocols]?.error == .inconsistentGroupProtocol)
        #expect(empty.joins[noType]?.error == .inconsistentGroupProtocol)
    }

    @Test func protocolChosenByVotes() {
        var h = GroupHarness(initialDelayMs: 100)
        let a = h.join(client: "a", protocols: [.init(name: "range", metadata: [0xA]), .init(name: "roundrobin", metadata: [0xA2])])
        let b = h.join(client: "b", protocols: [.init(name: "roundrobin", metadata: [0xB2]), .init(name: "range", metadata: [0xB])])
        let c = h.join(client: "c", protocols: [
            .init(name: "sticky", metadata: []), .init(name: "roundrobin", metadata: [0xC2]), .init(name: "range", metadata: [0xC]),
        ])
        #expect(h.joins.isEmpty)  // the initial delay holds the first generation back
        h.advance(by: 100)
        let leader = h.joins[a]!
        // "sticky" is not supported by all; roundrobin has two votes (b, c), range one (a).
        #expect(leader.protocolName == "roundrobin")
        #expect(leader.generationId == 1)
        #expect(leader.members.map(\.metadata) == [[0xA2], [0xB2], [0xC2]])
        #expect(h.joins[b]?.members == [])
        #expect(h.joins[c]?.protocolName == "roundrobin")
    }

    @Test func protocolVoteTieGoesToLeaderPreference() {
        var h = GroupHarness(initialDelayMs: 100)
        let a = h.join(client: "a", protocols: [.init(name: "range", metadata: []), .init(name: "roundrobin", metadata: [])])
        h.join(client: "b", protocols: [.init(name: "roundrobin", metadata: []), .init(name: "range", metadata: [])])
        h.advance(by: 100)
        #expect(h.joins[a]?.protocolName == "range")
    }

    @Test func initialDelayIsExtendedByNewMembers() {
        var h = GroupHarness(initialDelayMs: 300)
        let a = h.join(client: "a")
        #expect(h.group.state == .preparingRebalance)
        h.advance(by: 200)
        let b = h.join(client: "b")
        h.advance(by: 200)  // t=400: a's delay (300) passed, but b extended it to 500
        #expect(h.joins[a] == nil)
        h.advance(by: 100)
        #expect(h.joins[a]?.generationId == 1)
        #expect(h.joins[a]?.members.count == 2)
        #expect(h.joins[b]?.leaderId == h.joins[a]?.memberId)
        #expect(h.group.state == .completingRebalance)
    }

    @Test func resentJoinAnswersThePreviousOneWithRebalanceInProgress() {
        var h = GroupHarness()
        let (a, b) = h.stableTwoMembers()
        let first = h.join(a, client: "a", protocols: [.init(name: "range", metadata: [0xA, 1])])
        #expect(h.group.state == .preparingRebalance)
        let second = h.join(a, client: "a", protocols: [.init(name: "range", metadata: [0xA, 2])])
        #expect(h.joins[first]?.error == .rebalanceInProgress)
        #expect(h.joins[second] == nil)
        let bJoin = h.join(b, client: "b", protocols: [.init(name: "range", metadata: [0xB])])
        #expect(h.joins[second]?.error == GroupErrorCode.none)
        #expect(h.joins[second]?.members.first?.metadata == [0xA, 2])
        #expect(h.joins[bJoin]?.generationId == 3)
    }

    @Test func syncErrors() {
        var h = GroupHarness()
        let a = h.joinNow()!.memberId
        #expect(h.syncNow("nobody", generation: 1)?.error == .unknownMemberId)
        #expect(h.syncNow(a, generation: 7)?.error == .illegalGeneration)
        #expect(h.syncNow(a, generation: 1, protocolName: "roundrobin")?.error == .inconsistentGroupProtocol)
        h.sync(a, generation: 1, protocolName: "range", assignments: [a: [1]])
        #expect(h.group.state == .stable)
        // A new member puts the group into PreparingRebalance: syncs are refused.
        h.join(client: "b")
        #expect(h.syncNow(a, generation: 1)?.error == .rebalanceInProgress)
    }

    @Test func syncInStableReturnsCurrentAssignment() {
        var h = GroupHarness()
        let (a, b) = h.stableTwoMembers()
        #expect(h.syncNow(b, generation: 2)?.assignment == [0xB2])
        #expect(h.syncNow(a, generation: 2)?.assignment == [0xA2])
    }

    @Test func rejoinWithSameMetadataInStableIsAnsweredAtOnce() {
        var h = GroupHarness()
        let (a, b) = h.stableTwoMembers()
        let token = h.join(b, client: "b", protocols: [.init(name: "range", metadata: [0xB])])
        let result = h.joins[token]!
        #expect(result.error == .none)
        #expect(result.generationId == 2)
        #expect(result.leaderId == a)
        #expect(result.members.isEmpty)
        #expect(h.group.state == .stable)
    }
}
