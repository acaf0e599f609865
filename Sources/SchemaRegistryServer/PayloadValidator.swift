import SchemaRegistry

/// Checks that a record payload (without Confluent's 5-byte wire-format header)
/// matches one registered schema.
///
/// Validators are immutable and `Sendable`: the broker calls them from SwiftNIO
/// event loops, concurrently, without hopping to the store's actor.
public protocol PayloadValidator: Sendable {
    /// The id of the schema this validator checks against.
    var schemaID: Int32 { get }
    /// The schema's language.
    var format: SchemaFormat { get }
    /// Validates payload bytes in place (the broker's per-record call: no copy, and no
    /// generic dispatch through the existential).
    ///
    /// - Returns: one message per problem; empty when the payload is valid.
    func validate(bytes: UnsafeRawBufferPointer) -> [String]
}

extension PayloadValidator {
    /// Validates raw payload bytes held in any collection (copied only when not contiguous).
    ///
    /// - Returns: one message per problem; empty when the payload is valid.
    public func validate(payload: some Collection<UInt8>) -> [String] {
        payload.withContiguousStorageIfAvailable { validate(bytes: UnsafeRawBufferPointer($0)) }
            ?? Array(payload).withUnsafeBytes { validate(bytes: $0) }
    }
}
