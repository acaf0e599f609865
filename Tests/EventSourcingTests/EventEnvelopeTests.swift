import EventSourcing
import Foundation
import Kafka
import Testing

@Suite struct EventEnvelopeTests {
    @Test func roundTripsThroughHeaders() throws {
        let envelope = EventEnvelope(
            eventID: "e-1", eventType: "FundsReserved", schemaSubject: "payment-transactions-value", schemaVersion: 3,
            aggregateID: "account-42", aggregateVersion: 7, correlationID: "payment-9", causationID: "cmd-5",
            occurredAt: Date(timeIntervalSince1970: 1_764_000_000.123), producer: "payments")
        let headers = envelope.headers
        #expect(headers.first { $0.key == "aggregate-version" }?.value == Array("7".utf8))
        #expect(headers.first { $0.key == "occurred-at" }?.value == Array("2025-11-24T16:00:00.123Z".utf8))
        #expect(try EventEnvelope(headers: headers) == envelope)
    }

    @Test func optionalFieldsStayAbsent() throws {
        let envelope = EventEnvelope(eventType: "Opened", aggregateID: "a", aggregateVersion: 1, producer: "p")
        let keys = envelope.headers.map(\.key)
        #expect(!keys.contains("schema-subject") && !keys.contains("schema-version") && !keys.contains("causation-id"))
        let decoded = try EventEnvelope(headers: envelope.headers)
        #expect(decoded.correlationID == envelope.eventID)
        #expect(abs(decoded.occurredAt.timeIntervalSince(envelope.occurredAt)) < 0.001)
    }

    @Test func namesTheBadHeader() {
        var headers = EventEnvelope(eventType: "Opened", aggregateID: "a", aggregateVersion: 1, producer: "p").headers
        headers.removeAll { $0.key == "event-type" }
        #expect(throws: EventEnvelopeError.missingHeader("event-type")) { try EventEnvelope(headers: headers) }
        headers.append(KafkaHeader(key: "event-type", value: Array("T".utf8)))
        headers.append(KafkaHeader(key: "aggregate-version", value: Array("zero".utf8)))
        #expect(throws: EventEnvelopeError.malformedHeader("aggregate-version", "zero")) { try EventEnvelope(headers: headers) }
    }
}
