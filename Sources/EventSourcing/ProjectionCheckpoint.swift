/// A projection's state and, per partition, the offset of the next event it has not applied.
/// Stored as one unit: the state always reflects exactly the events before those offsets.
public struct ProjectionCheckpoint<State: Codable & Sendable>: Codable, Sendable {
    public var state: State
    public var nextOffsets: [Int32: Int64]

    public init(state: State, nextOffsets: [Int32: Int64]) {
        self.state = state
        self.nextOffsets = nextOffsets
    }
}
