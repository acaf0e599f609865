/// The value of one `saga-state` record: the saga's complete state after a transition and
/// the events of that transition. Complete, because compaction keeps only the latest record
/// per saga id.
public struct SagaStateRecord: Sendable, Hashable, Codable {
    public var state: SagaState
    public var events: [SagaEvent]

    public init(state: SagaState, events: [SagaEvent]) {
        self.state = state
        self.events = events
    }

    /// Decodes a `saga-state` record value.
    public static func decode(_ value: [UInt8]) throws -> SagaStateRecord {
        try SagaJSON.decode(SagaStateRecord.self, from: value)
    }

    func encoded() throws -> [UInt8] { try SagaJSON.encode(self) }
}
