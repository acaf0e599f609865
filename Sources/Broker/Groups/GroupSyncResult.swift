/// A SyncGroup response: the member's assignment bytes, plus protocol type and name (v5).
struct GroupSyncResult: Sendable, Equatable {
    var error: GroupErrorCode
    var protocolType: String?
    var protocolName: String?
    var assignment: [UInt8]

    init(error: GroupErrorCode, protocolType: String? = nil, protocolName: String? = nil, assignment: [UInt8] = []) {
        self.error = error
        self.protocolType = protocolType
        self.protocolName = protocolName
        self.assignment = assignment
    }

    static func failure(_ error: GroupErrorCode) -> GroupSyncResult {
        GroupSyncResult(error: error)
    }
}
