import Foundation
import KafkaProtocol
import NIOCore

/// One event for the `compliance-events` topic, in the shape of `schemas/compliance-event.avsc`.
///
/// The broker writes these for admin changes it accepted or refused, so the history of who
/// changed a regulated topic lives in the same audited log as everything else.
struct ComplianceEvent: Sendable {
    /// Indexes into the schema's `ComplianceEventKind` symbols.
    enum Kind: Int64 {
        case adminChange = 7
        case accessDenied = 8
    }

    /// Indexes into the schema's `ComplianceOutcome` symbols.
    enum Outcome: Int64 {
        case passed = 1
        case blocked = 3
    }

    /// Indexes into the schema's `SubjectType` symbols.
    enum SubjectType: Int64 {
        case topic = 4
        case group = 5
        case cluster = 6
    }

    var eventID: String = UUID().uuidString.lowercased()
    var kind: Kind
    var outcome: Outcome
    var subjectType: SubjectType
    var subjectID: String
    var notes: String?
    var occurredAt: Int64
    var actor: String?

    /// The Avro binary encoding behind Confluent's wire framing (magic 0, schema id).
    func encode(schemaID: Int32, into buffer: inout ByteBuffer) {
        buffer.writeInteger(UInt8(0))
        buffer.writeInteger(schemaID, endianness: .big)
        writeString(eventID, &buffer)
        buffer.writeVarLong(kind.rawValue)
        buffer.writeVarLong(outcome.rawValue)
        buffer.writeVarLong(subjectType.rawValue)
        writeString(subjectID, &buffer)
        buffer.writeVarLong(0)  // payment_id: null
        buffer.writeVarLong(0)  // amount_minor: null
        buffer.writeVarLong(0)  // currency: null
        buffer.writeVarLong(0)  // rule_ids: empty array (no blocks)
        buffer.writeVarLong(0)  // reviewer: null
        writeOptionalString(notes, &buffer)
        buffer.writeVarLong(occurredAt)
        buffer.writeVarLong(0)  // correlation_id: null
        writeOptionalString(actor, &buffer)
    }

    private func writeString(_ value: String, _ buffer: inout ByteBuffer) {
        buffer.writeVarLong(Int64(value.utf8.count))
        buffer.writeString(value)
    }

    /// A `["null", "string"]` union: branch index, then the value.
    private func writeOptionalString(_ value: String?, _ buffer: inout ByteBuffer) {
        guard let value else {
            buffer.writeVarLong(0)
            return
        }
        buffer.writeVarLong(1)
        writeString(value, &buffer)
    }
}
