/// The schema languages the registry understands.
///
/// Raw values are the lowercase names used by the conformance cases; Confluent's
/// REST API spells them `AVRO` / `JSON`, which ``init(name:)`` also accepts.
public enum SchemaFormat: String, Sendable, CaseIterable {
    case avro
    case json

    /// Parses a format name case-insensitively (`avro`, `AVRO`, `json`, `JSON`).
    /// Confluent's `schemaType` omits the field for Avro, so callers default to ``avro``.
    public init?(name: String) {
        self.init(rawValue: name.lowercased())
    }

    /// The name Confluent's REST API uses (`AVRO`, `JSON`).
    public var confluentName: String { rawValue.uppercased() }
}
