/// One group as ListGroups reports it.
struct GroupListing: Sendable, Equatable {
    var groupId: String
    var protocolType: String
    var state: GroupState
}
