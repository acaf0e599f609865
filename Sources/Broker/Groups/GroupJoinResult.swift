/// A JoinGroup response, independent of the wire version.
///
/// On error only `error` and `memberId` are meaningful (`generationId` is -1). For
/// `memberIdRequired`, `memberId` is the id the client must rejoin with. For wire versions
/// where the protocol name is not nullable, send `protocolName ?? ""`.
struct GroupJoinResult: Sendable, Equatable {
    var error: GroupErrorCode
    var generationId: Int32
    var protocolType: String?
    var protocolName: String?
    var leaderId: String
    var memberId: String
    /// Non-empty only for the leader: every member with its metadata for the selected protocol.
    var members: [GroupJoinMember]
    /// JoinGroup v9+: a static leader that rejoined a stable group without changes need not
    /// compute a new assignment.
    var skipAssignment: Bool

    init(
        error: GroupErrorCode,
        generationId: Int32,
        protocolType: String?,
        protocolName: String?,
        leaderId: String,
        memberId: String,
        members: [GroupJoinMember],
        skipAssignment: Bool = false
    ) {
        self.error = error
        self.generationId = generationId
        self.protocolType = protocolType
        self.protocolName = protocolName
        self.leaderId = leaderId
        self.memberId = memberId
        self.members = members
        self.skipAssignment = skipAssignment
    }

    /// An error response, the shape Kafka uses: generation -1, no leader, no members.
    static func failure(_ error: GroupErrorCode, memberId: String) -> GroupJoinResult {
        GroupJoinResult(
            error: error, generationId: -1, protocolType: nil, protocolName: nil,
            leaderId: "", memberId: memberId, members: []
        )
    }
}
