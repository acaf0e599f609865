/// The broker's group coordinator: owns every classic consumer group and the committed
/// offsets, and turns ``ClassicGroup``'s effects into answers for suspended callers.
///
/// It is an actor, so the Kafka request handlers can call it from any event loop (e.g.
/// `promise.completeWithTask { await coordinator.join(request) }`). `join` and `sync`
/// suspend until the group can answer, which may take up to the rebalance timeout.
///
/// Time comes from an injected ``GroupClock``. Deadlines fire only when ``tick()`` runs:
/// the broker either runs ``run(tickInterval:)`` as a task for its lifetime or calls
/// `tick()` itself; tests advance a manual clock and call `tick()`.
///
/// Offsets are persisted through an injected ``OffsetCommitLog`` before an OffsetCommit is
/// acknowledged, and restored with `restore(from:)` at start. Group
/// membership is not persisted: after a restart members get UNKNOWN_MEMBER_ID and rejoin.
actor GroupCoordinator {
    let configuration: GroupConfiguration
    private let clock: any GroupClock
    private let offsetLog: any OffsetCommitLog

    private var groups: [String: ClassicGroup] = [:]
    private var offsets = OffsetStore()

    private var nextToken: UInt64 = 0
    private var joinWaiters: [GroupRequestToken: CheckedContinuation<GroupJoinResult, Never>] = [:]
    private var syncWaiters: [GroupRequestToken: CheckedContinuation<GroupSyncResult, Never>] = [:]
    /// Answers produced before their caller suspended (e.g. immediate errors).
    private var readyJoins: [GroupRequestToken: GroupJoinResult] = [:]
    private var readySyncs: [GroupRequestToken: GroupSyncResult] = [:]

    /// The last offset-log write of each group. Writes of one group are chained so they
    /// reach the log, and the in-memory table, in the order they were accepted: in a
    /// compacted topic the last write wins, so a reorder would resurrect an older offset
    /// after a restart. Different groups write concurrently.
    private var writeTails: [String: Task<Bool, Never>] = [:]

    init(
        configuration: GroupConfiguration = GroupConfiguration(),
        clock: any GroupClock = SystemGroupClock(),
        offsetLog: any OffsetCommitLog
    ) {
        self.configuration = configuration
        self.clock = clock
        self.offsetLog = offsetLog
    }

    // MARK: - Group membership

    /// JoinGroup. Suspends until the join phase completes (or the request fails).
    func join(_ request: GroupJoinRequest) async -> GroupJoinResult {
        guard !request.groupId.isEmpty else {
            return .failure(.invalidGroupId, memberId: request.memberId)
        }
        if groups[request.groupId] == nil {
            // A member id for a group we do not know: the group is gone (e.g. broker
            // restart); the client resets its id and joins anew.
            guard request.memberId.isEmpty else {
                return .failure(.unknownMemberId, memberId: request.memberId)
            }
            groups[request.groupId] = ClassicGroup(groupId: request.groupId, configuration: configuration)
        }
        let token = makeToken()
        deliver(groups[request.groupId]!.join(request, token: token, now: clock.nowMilliseconds()))
        return await withCheckedContinuation { continuation in
            if let ready = readyJoins.removeValue(forKey: token) {
                continuation.resume(returning: ready)
            } else {
                joinWaiters[token] = continuation
            }
        }
    }

    /// SyncGroup. Followers suspend until the leader's assignment arrives.
    func sync(_ request: GroupSyncRequest) async -> GroupSyncResult {
        guard !request.groupId.isEmpty else { return .failure(.invalidGroupId) }
        guard groups[request.groupId] != nil else { return .failure(.unknownMemberId) }
        let token = makeToken()
        deliver(groups[request.groupId]!.sync(request, token: token, now: clock.nowMilliseconds()))
        return await withCheckedContinuation { continuation in
            if let ready = readySyncs.removeValue(forKey: token) {
                continuation.resume(returning: ready)
            } else {
                syncWaiters[token] = continuation
            }
        }
    }

    /// Heartbeat; answered immediately.
    func heartbeat(_ request: GroupHeartbeatRequest) -> GroupErrorCode {
        guard !request.groupId.isEmpty else { return .invalidGroupId }
        guard groups[request.groupId] != nil else { return .unknownMemberId }
        return groups[request.groupId]!.heartbeat(
            memberId: request.memberId, groupInstanceId: request.groupInstanceId,
            generationId: request.generationId, now: clock.nowMilliseconds()
        )
    }

    /// LeaveGroup for one or more members; answered immediately.
    func leave(groupId: String, members: [GroupLeavingMember]) -> GroupLeaveResult {
        guard !groupId.isEmpty else { return GroupLeaveResult(error: .invalidGroupId, members: []) }
        guard groups[groupId] != nil else {
            return GroupLeaveResult(error: .none, members: members.map {
                GroupLeaveMemberResult(memberId: $0.memberId, groupInstanceId: $0.groupInstanceId, error: .unknownMemberId)
            })
        }
        let (result, effects) = groups[groupId]!.leave(members, now: clock.nowMilliseconds())
        deliver(effects)
        return result
    }

    // MARK: - Administration

    /// ListGroups; `states` is the v4+ filter (nil or empty = all). Sorted by group id.
    func listGroups(states: Set<GroupState>? = nil) -> [GroupListing] {
        groups.values
            .map(\.listing)
            .filter { listing in states.map { $0.isEmpty || $0.contains(listing.state) } ?? true }
            .sorted { $0.groupId < $1.groupId }
    }

    /// DescribeGroups, in request order; unknown groups are reported Dead, as Kafka does.
    func describeGroups(_ groupIds: [String]) -> [GroupDescription] {
        groupIds.map { groups[$0]?.describe() ?? .unknown($0) }
    }

    /// DeleteGroups: only groups without members can be deleted; their offsets are
    /// tombstoned in the log first.
    func deleteGroups(_ groupIds: [String]) async -> [(groupId: String, error: GroupErrorCode)] {
        var results: [(groupId: String, error: GroupErrorCode)] = []
        for groupId in groupIds {
            results.append((groupId, await deleteGroup(groupId)))
        }
        return results
    }

    private func deleteGroup(_ groupId: String) async -> GroupErrorCode {
        guard let group = groups[groupId], group.state != .dead else { return .groupIdNotFound }
        guard group.isIdle else { return .nonEmptyGroup }
        // Dead from now on, so joins racing the tombstone write get COORDINATOR_NOT_AVAILABLE
        // and retry instead of joining a group that is about to vanish.
        deliver(groups[groupId]!.markDead())
        let keys = offsets.keys(for: groupId)
        let written = keys.isEmpty
            ? true
            : await persist(groupId: groupId, entries: keys.map(OffsetLogEntry.tombstone)) { log in
                try await log.appendTombstones(keys)
            }
        groups[groupId] = nil
        return written ? .none : .coordinatorNotAvailable
    }

    // MARK: - Offsets

    /// OffsetCommit. Answers only after the offsets were appended to the ``OffsetCommitLog``.
    func commitOffsets(_ commit: GroupOffsetCommit) async -> [PartitionOffsetCommitResult] {
        let now = clock.nowMilliseconds()
        let groupError: GroupErrorCode
        if groups[commit.groupId] != nil {
            groupError = groups[commit.groupId]!.validateOffsetCommit(
                memberId: commit.memberId, groupInstanceId: commit.groupInstanceId,
                generationId: commit.generationId, now: now
            )
        } else {
            // No group: fine for a standalone consumer's simple commit (generation < 0);
            // otherwise the commit comes from a generation that no longer exists.
            groupError = commit.generationId < 0 ? .none : .illegalGeneration
        }
        guard groupError == .none else {
            return commit.offsets.map { PartitionOffsetCommitResult(topic: $0.topic, partition: $0.partition, error: groupError) }
        }

        var errors: [GroupErrorCode?] = []
        var records: [OffsetCommitRecord] = []
        for partition in commit.offsets {
            let metadata = partition.metadata ?? ""
            if metadata.utf8.count > configuration.offsetMetadataMaxBytes {
                errors.append(.offsetMetadataTooLarge)
            } else {
                errors.append(nil)
                records.append(OffsetCommitRecord(
                    groupId: commit.groupId, topic: partition.topic, partition: partition.partition,
                    offset: partition.offset, leaderEpoch: partition.leaderEpoch,
                    metadata: metadata, commitTimestamp: now
                ))
            }
        }
        var written = true
        if !records.isEmpty {
            let durable = records
            written = await persist(groupId: commit.groupId, entries: durable.map(OffsetLogEntry.commit)) { log in
                try await log.append(durable)
            }
        }
        // A failed write is retriable for the client; COORDINATOR_NOT_AVAILABLE is what
        // Kafka answers when its offsets topic cannot take the write.
        let writeError: GroupErrorCode = written ? .none : .coordinatorNotAvailable
        return zip(commit.offsets, errors).map { partition, error in
            PartitionOffsetCommitResult(topic: partition.topic, partition: partition.partition, error: error ?? writeError)
        }
    }

    /// OffsetFetch: the given partitions, or all the group committed when `partitions` is nil.
    func fetchOffsets(groupId: String, partitions: [GroupTopicPartition]?) -> [PartitionOffsetFetchResult] {
        offsets.fetch(groupId: groupId, partitions: partitions)
    }

    /// Replays `__consumer_offsets` at broker start, in log order.
    func restore(from entries: some Sequence<OffsetLogEntry>) {
        for entry in entries {
            offsets.apply(entry)
        }
        // Groups that own offsets exist (Empty) so ListGroups and DescribeGroups show them.
        for groupId in offsets.groupIds where groups[groupId] == nil {
            groups[groupId] = ClassicGroup(groupId: groupId, configuration: configuration)
        }
    }

    /// Replays commits (no tombstones) at broker start, in log order.
    func restore(from records: some Sequence<OffsetCommitRecord>) {
        restore(from: records.lazy.map(OffsetLogEntry.commit))
    }

    /// Writes entries through the group's write chain; applies them to the table once durable.
    private func persist(
        groupId: String,
        entries: [OffsetLogEntry],
        write: @escaping @Sendable (any OffsetCommitLog) async throws -> Void
    ) async -> Bool {
        let previous = writeTails[groupId]
        let log = offsetLog
        let task = Task<Bool, Never> {
            _ = await previous?.value
            do {
                try await write(log)
            } catch {
                return false
            }
            self.applyDurable(entries)
            return true
        }
        writeTails[groupId] = task
        let written = await task.value
        if writeTails[groupId] == task {
            writeTails[groupId] = nil
        }
        return written
    }

    private func applyDurable(_ entries: [OffsetLogEntry]) {
        for entry in entries {
            offsets.apply(entry)
            if case .commit(let record) = entry, groups[record.groupId] == nil {
                groups[record.groupId] = ClassicGroup(groupId: record.groupId, configuration: configuration)
            }
        }
    }

    // MARK: - Time and lifecycle

    /// Fires every passed deadline of every group, and forgets groups that have neither
    /// members nor offsets (so one-off group ids do not accumulate).
    func tick() {
        let now = clock.nowMilliseconds()
        for groupId in Array(groups.keys) {
            deliver(groups[groupId]!.tick(now: now))
            if groups[groupId]!.isIdle, !offsets.hasOffsets(for: groupId), writeTails[groupId] == nil {
                groups[groupId] = nil
            }
        }
    }

    /// Calls ``tick()`` every `tickInterval` until the surrounding task is cancelled.
    func run(tickInterval: Duration = .milliseconds(100)) async {
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: tickInterval)
            } catch {
                return
            }
            tick()
        }
    }

    /// Answers every suspended JoinGroup/SyncGroup with COORDINATOR_NOT_AVAILABLE and drops
    /// all groups (offsets stay). For broker shutdown: no caller stays suspended.
    func shutdown() {
        for groupId in Array(groups.keys) {
            deliver(groups[groupId]!.markDead())
        }
        groups = [:]
        for (_, waiter) in joinWaiters {
            waiter.resume(returning: .failure(.coordinatorNotAvailable, memberId: ""))
        }
        for (_, waiter) in syncWaiters {
            waiter.resume(returning: .failure(.coordinatorNotAvailable))
        }
        joinWaiters = [:]
        syncWaiters = [:]
    }

    // MARK: - Effects

    private func makeToken() -> GroupRequestToken {
        nextToken += 1
        return GroupRequestToken(nextToken)
    }

    private func deliver(_ effects: [GroupEffect]) {
        for effect in effects {
            switch effect {
            case .joinResponse(let token, let result):
                if let waiter = joinWaiters.removeValue(forKey: token) {
                    waiter.resume(returning: result)
                } else {
                    readyJoins[token] = result
                }
            case .syncResponse(let token, let result):
                if let waiter = syncWaiters.removeValue(forKey: token) {
                    waiter.resume(returning: result)
                } else {
                    readySyncs[token] = result
                }
            }
        }
    }
}
