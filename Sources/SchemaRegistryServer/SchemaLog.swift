/// Where the registry persists its changes: in the broker, the compacted
/// internal topic `_schemas`.
///
/// Keys and values are Confluent's `_schemas` JSON (see ``SchemaStore``); a `nil`
/// value is a tombstone. ``SchemaStore`` acknowledges a change only after
/// `append` returned, so an implementation should return only once the entry is
/// durable (for the broker: written and fsynced).
public protocol SchemaLog: Sendable {
    /// Appends one entry; throwing makes the registry answer 50001 and leave its
    /// state unchanged for that entry.
    func append(key: [UInt8], value: [UInt8]?) async throws
}
