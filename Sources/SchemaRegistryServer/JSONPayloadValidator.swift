import SchemaRegistry

/// Validates JSON payloads: UTF-8 JSON text that satisfies the JSON Schema.
public struct JSONPayloadValidator: PayloadValidator {
    public let schemaID: Int32
    public var format: SchemaFormat { .json }
    /// The parsed JSON Schema.
    public let schema: JSONSchema

    public init(schemaID: Int32, schema: JSONSchema) {
        self.schemaID = schemaID
        self.schema = schema
    }

    public func validate(bytes: UnsafeRawBufferPointer) -> [String] {
        schema.validate(payload: bytes)
    }
}
