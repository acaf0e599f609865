/// The Kafka error codes the group coordinator can answer with.
///
/// The coordinator deliberately does not depend on the wire codec, so it carries its
/// own small enum; `rawValue` is the exact Kafka error code to put on the wire.
enum GroupErrorCode: Int16, Sendable, Hashable, CustomStringConvertible {
    case unknownServerError = -1
    case none = 0
    case offsetMetadataTooLarge = 12
    case coordinatorNotAvailable = 15
    case illegalGeneration = 22
    case inconsistentGroupProtocol = 23
    case invalidGroupId = 24
    case unknownMemberId = 25
    case invalidSessionTimeout = 26
    case rebalanceInProgress = 27
    case nonEmptyGroup = 68
    case groupIdNotFound = 69
    case memberIdRequired = 79
    case fencedInstanceId = 82

    var description: String {
        switch self {
        case .unknownServerError: "UNKNOWN_SERVER_ERROR"
        case .none: "NONE"
        case .offsetMetadataTooLarge: "OFFSET_METADATA_TOO_LARGE"
        case .coordinatorNotAvailable: "COORDINATOR_NOT_AVAILABLE"
        case .illegalGeneration: "ILLEGAL_GENERATION"
        case .inconsistentGroupProtocol: "INCONSISTENT_GROUP_PROTOCOL"
        case .invalidGroupId: "INVALID_GROUP_ID"
        case .unknownMemberId: "UNKNOWN_MEMBER_ID"
        case .invalidSessionTimeout: "INVALID_SESSION_TIMEOUT"
        case .rebalanceInProgress: "REBALANCE_IN_PROGRESS"
        case .nonEmptyGroup: "NON_EMPTY_GROUP"
        case .groupIdNotFound: "GROUP_ID_NOT_FOUND"
        case .memberIdRequired: "MEMBER_ID_REQUIRED"
        case .fencedInstanceId: "FENCED_INSTANCE_ID"
        }
    }
}
