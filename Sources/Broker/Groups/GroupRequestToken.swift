/// An opaque id the caller attaches to a JoinGroup or SyncGroup request.
///
/// Those responses can be delayed until other members act, so ``ClassicGroup`` returns
/// them as ``GroupEffect`` values tagged with the token of the request they answer.
struct GroupRequestToken: Hashable, Sendable, CustomStringConvertible {
    let rawValue: UInt64

    init(_ rawValue: UInt64) {
        self.rawValue = rawValue
    }

    var description: String { "#\(rawValue)" }
}
