import SchemaRegistry

/// Validates Avro binary payloads: exactly one value of the schema, every byte consumed.
public struct AvroPayloadValidator: PayloadValidator {
    public let schemaID: Int32
    public var format: SchemaFormat { .avro }
    /// The parsed writer schema.
    public var schema: AvroSchema { storage.schema }

    /// The schema behind one reference: the broker calls this validator through an
    /// existential for every record, and copying it then costs one retain instead of one
    /// per array and dictionary of the schema.
    private final class Storage: Sendable {
        let schema: AvroSchema
        init(_ schema: AvroSchema) { self.schema = schema }
    }

    private let storage: Storage

    public init(schemaID: Int32, schema: AvroSchema) {
        self.schemaID = schemaID
        storage = Storage(schema)
    }

    public func validate(bytes: UnsafeRawBufferPointer) -> [String] {
        do {
            try storage.schema.validate(bytes: bytes)
            return []
        } catch {
            return ["\(error)"]
        }
    }
}
