/// One assignment protocol a member offers in JoinGroup (e.g. "range", "cooperative-sticky")
/// with its opaque metadata (the consumer's subscription); passed through unchanged.
struct GroupJoinProtocol: Sendable, Hashable {
    var name: String
    var metadata: [UInt8]

    init(name: String, metadata: [UInt8]) {
        self.name = name
        self.metadata = metadata
    }
}
