/// Turns domain events into record payloads and back.
///
/// ``JSONEventCodec`` is the default. A codec writing the registered schema's format (for
/// example Avro with Confluent framing from the schema registry) implements the same two
/// methods and reports the subject and version it encoded with, which land in the envelope.
public protocol EventCodec: Sendable {
    /// The payload for `event`, with the schema it was written in when there is one.
    func encode<Event: DomainEvent>(_ event: Event) throws -> EncodedEvent
    /// The event a stored payload holds; `envelope` tells the event type and schema it was written with.
    func decode<Event: DomainEvent>(_ type: Event.Type, from payload: [UInt8], envelope: EventEnvelope) throws -> Event
}
