/// The states of a classic consumer group, exactly as Kafka names them.
///
/// - `empty`: no members; the group may still own committed offsets.
/// - `preparingRebalance`: the join phase; members must (re)send JoinGroup.
/// - `completingRebalance`: join responses are out; waiting for the leader's SyncGroup.
/// - `stable`: assignments are distributed; members heartbeat.
/// - `dead`: the group was deleted; nothing is accepted any more.
enum GroupState: String, Sendable, Hashable, CaseIterable {
    case empty = "Empty"
    case preparingRebalance = "PreparingRebalance"
    case completingRebalance = "CompletingRebalance"
    case stable = "Stable"
    case dead = "Dead"

    /// The state name used by ListGroups (v4 filter) and DescribeGroups.
    var name: String { rawValue }

    /// Parses a ListGroups v4 `StatesFilter` entry; Kafka matches names case-insensitively.
    init?(name: String) {
        guard let match = GroupState.allCases.first(where: { $0.rawValue.lowercased() == name.lowercased() }) else {
            return nil
        }
        self = match
    }
}
