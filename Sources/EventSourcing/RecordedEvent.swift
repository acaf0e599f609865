/// An event as stored: its envelope, its payload and where it is in the topic.
public struct RecordedEvent: Sendable, Hashable {
    public var envelope: EventEnvelope
    public var payload: [UInt8]
    public var topic: String
    public var partition: Int32
    public var offset: Int64

    public init(envelope: EventEnvelope, payload: [UInt8], topic: String, partition: Int32, offset: Int64) {
        self.envelope = envelope
        self.payload = payload
        self.topic = topic
        self.partition = partition
        self.offset = offset
    }

    /// The event's version in its aggregate's stream.
    public var version: Int64 { envelope.aggregateVersion }

    /// The domain event, decoded with `codec` (the one it was written with).
    public func decode<Event: DomainEvent>(_ type: Event.Type, with codec: any EventCodec = JSONEventCodec()) throws -> Event {
        try codec.decode(type, from: payload, envelope: envelope)
    }
}
