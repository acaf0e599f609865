import SchemaRegistry

/// A schema as the registry knows it under its global id.
///
/// The same schema (same type, same normalized text, same references)
/// registered under several subjects has one id and one `RegisteredSchema`.
public struct RegisteredSchema: Sendable, Equatable {
    /// The global id (1, 2, …); what Confluent's wire format puts after the magic byte.
    public var id: Int32
    /// Avro or JSON Schema.
    public var format: SchemaFormat
    /// The schema text, normalized to compact JSON (insignificant whitespace
    /// removed, key order kept) — what Confluent returns, and the identity used to
    /// deduplicate ids.
    public var schema: String
    /// The references given at registration (stored, not resolved).
    public var references: [SchemaReference]

    public init(id: Int32, format: SchemaFormat, schema: String, references: [SchemaReference] = []) {
        self.id = id
        self.format = format
        self.schema = schema
        self.references = references
    }
}
