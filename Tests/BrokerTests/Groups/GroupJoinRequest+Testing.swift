@testable import Broker

extension GroupJoinRequest {
    /// The same request as a pre-v4 client sends it (no MEMBER_ID_REQUIRED round trip).
    func withKnownMemberIdNotRequired() -> GroupJoinRequest {
        var copy = self
        copy.requireKnownMemberId = false
        return copy
    }
}
