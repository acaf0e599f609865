/// The in-memory table of committed offsets, by group and partition.
///
/// It holds only what is already durable: the coordinator applies a commit after the
/// ``OffsetCommitLog`` accepted it, and restores the table from that log at start.
struct OffsetStore: Sendable {
    private var offsets: [String: [GroupTopicPartition: CommittedOffset]] = [:]

    init() {}

    /// Group ids that have at least one committed offset.
    var groupIds: Set<String> { Set(offsets.keys) }

    func hasOffsets(for groupId: String) -> Bool {
        offsets[groupId]?.isEmpty == false
    }

    func offset(groupId: String, partition: GroupTopicPartition) -> CommittedOffset? {
        offsets[groupId]?[partition]
    }

    mutating func apply(_ record: OffsetCommitRecord) {
        offsets[record.groupId, default: [:]][record.key.topicPartition] = record.committedOffset
    }

    mutating func apply(_ entry: OffsetLogEntry) {
        switch entry {
        case .commit(let record):
            apply(record)
        case .tombstone(let key):
            remove(key)
        }
    }

    mutating func remove(_ key: OffsetCommitKey) {
        offsets[key.groupId]?[key.topicPartition] = nil
        if offsets[key.groupId]?.isEmpty == true {
            offsets[key.groupId] = nil
        }
    }

    /// The keys of every offset of the group (what deleting the group must tombstone).
    func keys(for groupId: String) -> [OffsetCommitKey] {
        (offsets[groupId] ?? [:]).keys.sorted().map {
            OffsetCommitKey(groupId: groupId, topic: $0.topic, partition: $0.partition)
        }
    }

    /// OffsetFetch: the requested partitions in request order, or, for `nil`, every
    /// partition the group committed, sorted. Uncommitted partitions get offset -1.
    func fetch(groupId: String, partitions: [GroupTopicPartition]?) -> [PartitionOffsetFetchResult] {
        let committed = offsets[groupId] ?? [:]
        let wanted = partitions ?? committed.keys.sorted()
        return wanted.map { partition in
            let entry = committed[partition]
            return PartitionOffsetFetchResult(
                topic: partition.topic,
                partition: partition.partition,
                offset: entry?.offset ?? -1,
                leaderEpoch: entry?.leaderEpoch ?? -1,
                metadata: entry?.metadata ?? "",
                error: .none
            )
        }
    }
}
