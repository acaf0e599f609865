import Foundation
import Kafka

/// What every event carries besides its payload, written as Kafka record headers so that
/// any consumer (kcat, a stock Kafka tool, `eventctl replay`) sees it without decoding the
/// payload, and the payload stays exactly the registered schema's format.
///
/// Header names are a contract shared with the broker (which checks `aggregate-id` and
/// `aggregate-version` on event-store topics) and with ``Sagas``:
///
/// | header              | value                                        |
/// |---------------------|----------------------------------------------|
/// | `event-id`          | unique id of this event (UUID text)          |
/// | `event-type`        | the domain event's type name                 |
/// | `schema-subject`    | registry subject of the payload (optional)   |
/// | `schema-version`    | registry version of the payload (optional)   |
/// | `aggregate-id`      | the stream the event belongs to              |
/// | `aggregate-version` | the event's position in that stream, from 1  |
/// | `correlation-id`    | the business flow it is part of              |
/// | `causation-id`      | the event or command that caused it (optional) |
/// | `occurred-at`       | ISO 8601 UTC with milliseconds               |
/// | `producer`          | the service that wrote it                    |
public struct EventEnvelope: Sendable, Hashable {
    public var eventID: String
    public var eventType: String
    public var schemaSubject: String?
    public var schemaVersion: Int32?
    public var aggregateID: String
    public var aggregateVersion: Int64
    public var correlationID: String
    public var causationID: String?
    public var occurredAt: Date
    public var producer: String

    public init(
        eventID: String = UUID().uuidString.lowercased(),
        eventType: String,
        schemaSubject: String? = nil,
        schemaVersion: Int32? = nil,
        aggregateID: String,
        aggregateVersion: Int64,
        correlationID: String? = nil,
        causationID: String? = nil,
        occurredAt: Date = Date(),
        producer: String
    ) {
        self.eventID = eventID
        self.eventType = eventType
        self.schemaSubject = schemaSubject
        self.schemaVersion = schemaVersion
        self.aggregateID = aggregateID
        self.aggregateVersion = aggregateVersion
        self.correlationID = correlationID ?? eventID
        self.causationID = causationID
        // Headers carry milliseconds; keeping the same precision here makes a decoded envelope equal the original.
        self.occurredAt = Date(timeIntervalSince1970: (occurredAt.timeIntervalSince1970 * 1000).rounded() / 1000)
        self.producer = producer
    }
}

extension EventEnvelope {
    /// Header names, in the order they are written.
    public enum HeaderName {
        public static let eventID = "event-id"
        public static let eventType = "event-type"
        public static let schemaSubject = "schema-subject"
        public static let schemaVersion = "schema-version"
        public static let aggregateID = "aggregate-id"
        public static let aggregateVersion = "aggregate-version"
        public static let correlationID = "correlation-id"
        public static let causationID = "causation-id"
        public static let occurredAt = "occurred-at"
        public static let producer = "producer"
        /// Written by ``EventStore`` beside the envelope: one id per append, and the version
        /// of the append's first event. The broker uses them to refuse the rest of an append
        /// whose first part was refused, should a producer split it over two batches.
        public static let appendID = "append-id"
        public static let appendFirstVersion = "append-first-version"
    }

    /// The envelope as record headers (UTF-8 text values).
    public var headers: [KafkaHeader] {
        var result: [KafkaHeader] = []
        result.reserveCapacity(10)
        func add(_ key: String, _ text: String?) {
            guard let text else { return }
            result.append(KafkaHeader(key: key, value: Array(text.utf8)))
        }
        add(HeaderName.eventID, eventID)
        add(HeaderName.eventType, eventType)
        add(HeaderName.schemaSubject, schemaSubject)
        add(HeaderName.schemaVersion, schemaVersion.map(String.init))
        add(HeaderName.aggregateID, aggregateID)
        add(HeaderName.aggregateVersion, String(aggregateVersion))
        add(HeaderName.correlationID, correlationID)
        add(HeaderName.causationID, causationID)
        add(HeaderName.occurredAt, Self.format(occurredAt))
        add(HeaderName.producer, producer)
        return result
    }

    /// Reads an envelope back from record headers.
    ///
    /// - Throws: ``EventEnvelopeError`` naming the header that is missing or malformed.
    public init(headers: [KafkaHeader]) throws {
        func text(_ key: String) -> String? {
            // The last occurrence wins, as for Kafka headers read into a map.
            guard let header = headers.last(where: { $0.key == key }), let value = header.value else { return nil }
            return String(decoding: value, as: UTF8.self)
        }
        func required(_ key: String) throws -> String {
            guard let value = text(key), !value.isEmpty else { throw EventEnvelopeError.missingHeader(key) }
            return value
        }
        let versionText = try required(HeaderName.aggregateVersion)
        guard let version = Int64(versionText), version >= 1 else {
            throw EventEnvelopeError.malformedHeader(HeaderName.aggregateVersion, versionText)
        }
        var schemaVersion: Int32?
        if let schemaVersionText = text(HeaderName.schemaVersion) {
            guard let parsed = Int32(schemaVersionText) else {
                throw EventEnvelopeError.malformedHeader(HeaderName.schemaVersion, schemaVersionText)
            }
            schemaVersion = parsed
        }
        let occurredText = try required(HeaderName.occurredAt)
        guard let occurredAt = Self.parse(occurredText) else {
            throw EventEnvelopeError.malformedHeader(HeaderName.occurredAt, occurredText)
        }
        self.init(
            eventID: try required(HeaderName.eventID),
            eventType: try required(HeaderName.eventType),
            schemaSubject: text(HeaderName.schemaSubject),
            schemaVersion: schemaVersion,
            aggregateID: try required(HeaderName.aggregateID),
            aggregateVersion: version,
            correlationID: try required(HeaderName.correlationID),
            causationID: text(HeaderName.causationID),
            occurredAt: occurredAt,
            producer: try required(HeaderName.producer))
    }

    static func format(_ date: Date) -> String {
        // Formatted from integer milliseconds: the formatter truncates binary fractions (.123 → .122).
        let millis = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let (seconds, fraction) = millis.quotientAndRemainder(dividingBy: 1000)
        let wholeSeconds = Date(timeIntervalSince1970: TimeInterval(fraction < 0 ? seconds - 1 : seconds))
        let base = wholeSeconds.formatted(.iso8601)  // "2025-11-24T16:00:00Z"
        let digits = String(fraction < 0 ? fraction + 1000 : fraction)
        return "\(base.dropLast()).\(String(repeating: "0", count: 3 - digits.count))\(digits)Z"
    }

    static func parse(_ text: String) -> Date? {
        try? Date(text, strategy: .iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }
}

/// A record whose headers do not hold a valid ``EventEnvelope``.
public enum EventEnvelopeError: Error, Hashable, CustomStringConvertible {
    case missingHeader(String)
    case malformedHeader(String, String)

    public var description: String {
        switch self {
        case .missingHeader(let name): "event header '\(name)' is missing"
        case .malformedHeader(let name, let value): "event header '\(name)' has a malformed value '\(value)'"
        }
    }
}
