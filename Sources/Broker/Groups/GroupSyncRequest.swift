/// A SyncGroup request, independent of the wire version.
///
/// `protocolType` / `protocolName` exist from v5; pass nil for older versions (no check).
/// Only the leader's `assignments` are used; followers send an empty list.
struct GroupSyncRequest: Sendable, Equatable {
    var groupId: String
    var memberId: String
    var groupInstanceId: String?
    var generationId: Int32
    var protocolType: String?
    var protocolName: String?
    /// Member id → assignment bytes (opaque, passed through unchanged).
    var assignments: [String: [UInt8]]

    init(
        groupId: String,
        memberId: String,
        groupInstanceId: String? = nil,
        generationId: Int32,
        protocolType: String? = nil,
        protocolName: String? = nil,
        assignments: [String: [UInt8]] = [:]
    ) {
        self.groupId = groupId
        self.memberId = memberId
        self.groupInstanceId = groupInstanceId
        self.generationId = generationId
        self.protocolType = protocolType
        self.protocolName = protocolName
        self.assignments = assignments
    }
}
