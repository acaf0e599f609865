import Testing
@testable import Broker

@Suite("GroupCoordinator")
struct GroupCoordinatorTests {
    let clock = ManualGroupClock()
    let log = InMemoryOffsetCommitLog()

    func makeCoordinator(initialDelayMs: Int64 = 0) -> GroupCoordinator {
        GroupCoordinator(
            configuration: GroupConfiguration(initialRebalanceDelayMs: initialDelayMs),
            clock: clock,
            offsetLog: log
        )
    }

    func joinRequest(
        _ memberId: String = "", group: String = "g", client: String = "c",
        metadata: [UInt8] = [], sessionMs: Int32 = 10_000, rebalanceMs: Int32 = 5_000
    ) -> GroupJoinRequest {
        GroupJoinRequest(
            groupId: group, memberId: memberId, clientId: client, clientHost: "/127.0.0.1",
            sessionTimeoutMs: sessionMs, rebalanceTimeoutMs: rebalanceMs, protocolType: "consumer",
            protocols: [GroupJoinProtocol(name: "range", metadata: metadata)], requireKnownMemberId: true
        )
    }

    /// Joins (with the MEMBER_ID_REQUIRED round trip) and syncs a single member.
    func stableMember(_ coordinator: GroupCoordinator, group: String = "g") async -> GroupJoinResult {
        let required = await coordinator.join(joinRequest(group: group))
        #expect(required.error == .memberIdRequired)
        let joined = await coordinator.join(joinRequest(required.memberId, group: group))
        #expect(joined.error == .none)
        let synced = await coordinator.sync(GroupSyncRequest(
            groupId: group, memberId: joined.memberId, generationId: joined.generationId,
            assignments: [joined.memberId: [1]]
        ))
        #expect(synced.assignment == [1])
        return joined
    }

    /// Waits until the group reaches `state` (another task's request is in flight).
    func waitFor(_ state: GroupState, in coordinator: GroupCoordinator, group: String = "g") async {
        for _ in 0..<10_000 {
            if await coordinator.describeGroups([group]).first?.state == state { return }
            await Task.yield()
        }
        Issue.record("group never reached \(state)")
    }

    @Test func joinSuspendsUntilRebalanceCompletes() async {
        let coordinator = makeCoordinator()
        let a = await stableMember(coordinator)
        async let bJoined = coordinator.join(joinRequest("", client: "b", metadata: [0xB]).withKnownMemberIdNotRequired())
        await waitFor(.preparingRebalance, in: coordinator)
        #expect(await coordinator.heartbeat(GroupHeartbeatRequest(groupId: "g", memberId: a.memberId, generationId: 1)) == .rebalanceInProgress)
        let aJoined = await coordinator.join(joinRequest(a.memberId))
        let b = await bJoined
        #expect(aJoined.generationId == 2)
        #expect(b.generationId == 2)
        #expect(aJoined.members.count == 2)
        #expect(b.leaderId == a.memberId)

        async let bSynced = coordinator.sync(GroupSyncRequest(groupId: "g", memberId: b.memberId, generationId: 2))
        await waitForPendingSync(coordinator)
        let aSynced = await coordinator.sync(GroupSyncRequest(
            groupId: "g", memberId: a.memberId, generationId: 2,
            assignments: [a.memberId: [0xA], b.memberId: [0xB]]
        ))
        #expect(aSynced.assignment == [0xA])
        #expect(await bSynced.assignment == [0xB])
        #expect(await coordinator.describeGroups(["g"]).first?.stateName == "Stable")
    }

    /// There is no observable state for "a follower waits in SyncGroup", so give its task
    /// time to arrive. The test holds either way: a follower syncing after the leader gets
    /// its assignment at once.
    private func waitForPendingSync(_ coordinator: GroupCoordinator) async {
        for _ in 0..<1_000 { await Task.yield() }
    }

    @Test func tickCompletesJoinPhaseAtRebalanceTimeout() async {
        let coordinator = makeCoordinator()
        let a = await stableMember(coordinator)
        async let bJoined = coordinator.join(joinRequest("", client: "b").withKnownMemberIdNotRequired())
        await waitFor(.preparingRebalance, in: coordinator)
        clock.advance(by: 4_999)
        await coordinator.tick()
        #expect(await coordinator.describeGroups(["g"]).first?.state == .preparingRebalance)
        clock.advance(by: 1)
        await coordinator.tick()
        let b = await bJoined
        #expect(b.generationId == 2)
        #expect(b.leaderId == b.memberId)  // a did not rejoin and was removed
        #expect(await coordinator.heartbeat(GroupHeartbeatRequest(groupId: "g", memberId: a.memberId, generationId: 2)) == .unknownMemberId)
    }

    @Test func initialDelayCompletesOnTick() async {
        let coordinator = makeCoordinator(initialDelayMs: 300)
        async let joined = coordinator.join(joinRequest("", client: "a").withKnownMemberIdNotRequired())
        await waitFor(.preparingRebalance, in: coordinator)
        clock.advance(by: 300)
        await coordinator.tick()
        #expect(await joined.generationId == 1)
    }

    @Test func unknownGroupAnswers() async {
        let coordinator = makeCoordinator()
        #expect(await coordinator.join(joinRequest("someone")).error == .unknownMemberId)
        #expect(await coordinator.join(joinRequest(group: "")).error == .invalidGroupId)
        #expect(await coordinator.sync(GroupSyncRequest(groupId: "x", memberId: "m", generationId: 1)).error == .unknownMemberId)
        #expect(await coordinator.heartbeat(GroupHeartbeatRequest(groupId: "x", memberId: "m", generationId: 1)) == .unknownMemberId)
        let leave = await coordinator.leave(groupId: "x", members: [GroupLeavingMember(memberId: "m")])
        #expect(leave.members.first?.error == .unknownMemberId)
        #expect(await coordinator.describeGroups(["x"]) == [.unknown("x")])
        #expect(await coordinator.describeGroups(["x"]).first?.stateName == "Dead")
    }

    @Test func listAndDescribe() async {
        let coordinator = makeCoordinator()
        _ = await stableMember(coordinator, group: "b-group")
        _ = await stableMember(coordinator, group: "a-group")
        let listed = await coordinator.listGroups()
        #expect(listed == [
            GroupListing(groupId: "a-group", protocolType: "consumer", state: .stable),
            GroupListing(groupId: "b-group", protocolType: "consumer", state: .stable),
        ])
        #expect(await coordinator.listGroups(states: [.empty]).isEmpty)
        #expect(await coordinator.listGroups(states: [GroupState(name: "stable")!]).count == 2)
        let described = await coordinator.describeGroups(["a-group"])
        #expect(described.first?.members.first?.assignment == [1])
        #expect(described.first?.protocolName == "range")
    }

    @Test func idleGroupsWithoutOffsetsAreForgottenOnTick() async {
        let coordinator = makeCoordinator()
        let a = await stableMember(coordinator)
        _ = await coordinator.leave(groupId: "g", members: [GroupLeavingMember(memberId: a.memberId)])
        #expect(await coordinator.listGroups().map(\.state) == [.empty])
        await coordinator.tick()
        #expect(await coordinator.listGroups().isEmpty)
    }

    @Test func shutdownAnswersSuspendedJoins() async {
        let coordinator = makeCoordinator(initialDelayMs: 10_000)
        async let joined = coordinator.join(joinRequest("").withKnownMemberIdNotRequired())
        await waitFor(.preparingRebalance, in: coordinator)
        await coordinator.shutdown()
        #expect(await joined.error == .coordinatorNotAvailable)
    }

    // MARK: - Offsets

    @Test func simpleCommitAndFetch() async {
        let coordinator = makeCoordinator()
        let results = await coordinator.commitOffsets(GroupOffsetCommit(groupId: "standalone", offsets: [
            PartitionOffsetCommit(topic: "t", partition: 1, offset: 42, leaderEpoch: 2, metadata: "m"),
            PartitionOffsetCommit(topic: "t", partition: 0, offset: 7),
        ]))
        #expect(results.map(\.error) == [.none, .none])
        let fetched = await coordinator.fetchOffsets(groupId: "standalone", partitions: [
            GroupTopicPartition(topic: "t", partition: 1), GroupTopicPartition(topic: "t", partition: 5),
        ])
        #expect(fetched == [
            PartitionOffsetFetchResult(topic: "t", partition: 1, offset: 42, leaderEpoch: 2, metadata: "m", error: .none),
            PartitionOffsetFetchResult(topic: "t", partition: 5, offset: -1, leaderEpoch: -1, metadata: "", error: .none),
        ])
        let all = await coordinator.fetchOffsets(groupId: "standalone", partitions: nil)
        #expect(all.map(\.partition) == [0, 1])
        #expect(await coordinator.fetchOffsets(groupId: "nobody", partitions: nil).isEmpty)
        // Persisted before acknowledged, with the broker's commit time.
        let entries = await log.entries
        #expect(entries.count == 2)
        if case .commit(let record) = entries.first {
            #expect(record.commitTimestamp == clock.nowMilliseconds())
            #expect(record.groupId == "standalone")
        } else {
            Issue.record("expected a commit entry")
        }
        // The group exists (Empty) for ListGroups.
        #expect(await coordinator.listGroups() == [GroupListing(groupId: "standalone", protocolType: "", state: .empty)])
    }

    @Test func commitRulesForGroupMembers() async {
        let coordinator = makeCoordinator()
        let offsets = [PartitionOffsetCommit(topic: "t", partition: 0, offset: 1)]
        // No group and a real generation: a commit from a generation that is gone.
        #expect(await coordinator.commitOffsets(GroupOffsetCommit(groupId: "g", memberId: "m", generationId: 3, offsets: offsets)).first?.error == .illegalGeneration)

        let required = await coordinator.join(joinRequest())
        let joined = await coordinator.join(joinRequest(required.memberId))
        let member = joined.memberId
        // CompletingRebalance: not yet.
        #expect(await coordinator.commitOffsets(GroupOffsetCommit(groupId: "g", memberId: member, generationId: 1, offsets: offsets)).first?.error == .rebalanceInProgress)
        _ = await coordinator.sync(GroupSyncRequest(groupId: "g", memberId: member, generationId: 1, assignments: [member: []]))
        #expect(await coordinator.commitOffsets(GroupOffsetCommit(groupId: "g", memberId: member, generationId: 1, offsets: offsets)).first?.error == GroupErrorCode.none)
        #expect(await coordinator.commitOffsets(GroupOffsetCommit(groupId: "g", memberId: member, generationId: 2, offsets: offsets)).first?.error == .illegalGeneration)
        #expect(await coordinator.commitOffsets(GroupOffsetCommit(groupId: "g", memberId: "other", generationId: 1, offsets: offsets)).first?.error == .unknownMemberId)
        // A simple commit into a group with members is refused.
        #expect(await coordinator.commitOffsets(GroupOffsetCommit(groupId: "g", offsets: offsets)).first?.error == .unknownMemberId)
        #expect(await log.entries.count == 1)
    }

    @Test func tooLargeMetadataIsRejectedPerPartition() async {
        let coordinator = GroupCoordinator(
            configuration: GroupConfiguration(initialRebalanceDelayMs: 0, offsetMetadataMaxBytes: 4),
            clock: clock, offsetLog: log
        )
        let results = await coordinator.commitOffsets(GroupOffsetCommit(groupId: "g", offsets: [
            PartitionOffsetCommit(topic: "t", partition: 0, offset: 1, metadata: "12345"),
            PartitionOffsetCommit(topic: "t", partition: 1, offset: 1, metadata: "1234"),
        ]))
        #expect(results.map(\.error) == [.offsetMetadataTooLarge, .none])
        #expect(await coordinator.fetchOffsets(groupId: "g", partitions: nil).map(\.partition) == [1])
    }

    @Test func failedLogWriteIsNotAcknowledgedNorApplied() async {
        let coordinator = makeCoordinator()
        await log.setFailing(true)
        let results = await coordinator.commitOffsets(GroupOffsetCommit(groupId: "g", offsets: [
            PartitionOffsetCommit(topic: "t", partition: 0, offset: 9),
        ]))
        #expect(results.first?.error == .coordinatorNotAvailable)
        #expect(await coordinator.fetchOffsets(groupId: "g", partitions: [GroupTopicPartition(topic: "t", partition: 0)]).first?.offset == -1)
    }

    @Test func concurrentCommitsReachLogInAcceptanceOrder() async {
        let coordinator = makeCoordinator()
        await withTaskGroup(of: Void.self) { tasks in
            for offset in 0..<50 {
                tasks.addTask {
                    _ = await coordinator.commitOffsets(GroupOffsetCommit(groupId: "g", offsets: [
                        PartitionOffsetCommit(topic: "t", partition: 0, offset: Int64(offset)),
                    ]))
                }
            }
        }
        // Whatever order the tasks ran in, the table holds what the log holds last.
        let entries = await log.entries
        guard case .commit(let last) = entries.last else {
            Issue.record("no commit logged")
            return
        }
        #expect(entries.count == 50)
        #expect(await coordinator.fetchOffsets(groupId: "g", partitions: nil).first?.offset == last.offset)
    }

    @Test func restoreReplaysCommitsAndTombstones() async throws {
        let first = makeCoordinator()
        _ = await first.commitOffsets(GroupOffsetCommit(groupId: "g", offsets: [
            PartitionOffsetCommit(topic: "t", partition: 0, offset: 10, metadata: "x"),
            PartitionOffsetCommit(topic: "t", partition: 1, offset: 20),
        ]))
        _ = await first.commitOffsets(GroupOffsetCommit(groupId: "g", offsets: [
            PartitionOffsetCommit(topic: "t", partition: 0, offset: 11),
        ]))
        _ = await first.commitOffsets(GroupOffsetCommit(groupId: "gone", offsets: [
            PartitionOffsetCommit(topic: "t", partition: 0, offset: 1),
        ]))
        #expect(await first.deleteGroups(["gone"]).map(\.error) == [.none])

        // What the broker would read back from __consumer_offsets: raw key/value bytes.
        let raw: [([UInt8], [UInt8]?)] = await log.entries.map { entry in
            switch entry {
            case .commit(let record): (record.encodeKey(), record.encodeValue())
            case .tombstone(let key): (key.encode(), nil)
            }
        }
        let replayed = try raw.map { try OffsetLogEntry(key: $0.0, value: $0.1) }

        let restarted = makeCoordinator()
        await restarted.restore(from: replayed)
        let fetched = await restarted.fetchOffsets(groupId: "g", partitions: nil)
        #expect(fetched.map(\.offset) == [11, 20])
        #expect(fetched.map(\.metadata) == ["", ""])
        #expect(await restarted.fetchOffsets(groupId: "gone", partitions: nil).isEmpty)
        #expect(await restarted.listGroups() == [GroupListing(groupId: "g", protocolType: "", state: .empty)])

        let fromRecords = makeCoordinator()
        await fromRecords.restore(from: [
            OffsetCommitRecord(groupId: "h", topic: "t", partition: 0, offset: 5, commitTimestamp: 1),
        ])
        #expect(await fromRecords.fetchOffsets(groupId: "h", partitions: nil).first?.offset == 5)
    }

    @Test func deleteGroups() async {
        let coordinator = makeCoordinator()
        _ = await stableMember(coordinator, group: "busy")
        _ = await coordinator.commitOffsets(GroupOffsetCommit(groupId: "idle", offsets: [
            PartitionOffsetCommit(topic: "t", partition: 0, offset: 3),
        ]))
        let results = await coordinator.deleteGroups(["busy", "idle", "missing"])
        #expect(results.map(\.groupId) == ["busy", "idle", "missing"])
        #expect(results.map(\.error) == [.nonEmptyGroup, .none, .groupIdNotFound])
        #expect(await coordinator.fetchOffsets(groupId: "idle", partitions: nil).isEmpty)
        #expect(await log.entries.last == .tombstone(OffsetCommitKey(groupId: "idle", topic: "t", partition: 0)))
        #expect(await coordinator.listGroups().map(\.groupId) == ["busy"])
    }
}
