import SchemaRegistry

/// What makes two registrations "the same schema" and so share one global id:
/// the type, the normalized text and the references (as Confluent compares them).
struct SchemaIdentity: Hashable, Sendable {
    let format: SchemaFormat
    let normalized: String
    let references: [SchemaReference]

    init(format: SchemaFormat, normalized: String, references: [SchemaReference]) {
        self.format = format
        self.normalized = normalized
        self.references = references
    }

    init(_ schema: RegisteredSchema) {
        self.init(format: schema.format, normalized: schema.schema, references: schema.references)
    }
}
