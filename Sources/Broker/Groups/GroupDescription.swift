/// A group as DescribeGroups reports it.
///
/// Mirrors Kafka's group summary: `protocolName` is the selected protocol only while the
/// group is Stable ("" otherwise), and member metadata/assignments are filled in only then.
struct GroupDescription: Sendable, Equatable {
    var error: GroupErrorCode
    var groupId: String
    var state: GroupState
    var protocolType: String
    var protocolName: String
    var members: [GroupMemberDescription]

    /// The state name for the wire ("Empty", "PreparingRebalance", …, "Dead").
    var stateName: String { state.name }

    /// What DescribeGroups answers for a group id the coordinator does not know: Kafka
    /// reports it as Dead with no error.
    static func unknown(_ groupId: String) -> GroupDescription {
        GroupDescription(error: .none, groupId: groupId, state: .dead, protocolType: "", protocolName: "", members: [])
    }
}
