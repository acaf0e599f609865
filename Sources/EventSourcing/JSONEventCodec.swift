import Foundation

/// Events as JSON (sorted keys, ISO 8601 dates), no registered schema.
public struct JSONEventCodec: EventCodec {
    public init() {}

    public func encode<Event: DomainEvent>(_ event: Event) throws -> EncodedEvent {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return EncodedEvent(payload: Array(try encoder.encode(event)))
    }

    public func decode<Event: DomainEvent>(_ type: Event.Type, from payload: [UInt8], envelope: EventEnvelope) throws -> Event {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(type, from: Data(payload))
    }
}
