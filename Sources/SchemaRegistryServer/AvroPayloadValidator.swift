import SchemaRegistry

/// Validates Avro binary payloads: exactly one value of the schema, every byte consumed.
public struct AvroPayloadValidator: PayloadValidator {
    public let schemaID: Int32
    public var format: SchemaFormat { .avro }
    /// The parsed writer schema.
    public let schema: AvroSchema

    public init(schemaID: Int32, schema: AvroSchema) {
        self.schemaID = schemaID
        self.schema = schema
    }

    public func validate(bytes: UnsafeRawBufferPointer) -> [String] {
        do {
            try schema.validate(bytes: bytes)
            return []
        } catch {
            return ["\(error)"]
        }
    }
}
