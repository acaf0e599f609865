import SchemaRegistry

/// Schema text checked and normalized once, with what registration and payload
/// validation need from it.
struct ParsedSchema: Sendable {
    let format: SchemaFormat
    /// Compact JSON serialization of the text (key order kept): the stored and
    /// returned form, and the deduplication identity. Not Avro's Parsing Canonical
    /// Form, because that drops defaults, docs and logical types, which matter for
    /// compatibility and must not collapse two different schemas onto one id.
    let normalized: String
    let avro: AvroSchema?
    let json: JSONSchema?

    /// Parses `text` as a new registration would.
    ///
    /// - Parameter strict: validate Avro field defaults (new registrations);
    ///   `false` when loading already-registered schemas, as Confluent does.
    /// - Throws: ``RegistryError/invalidSchema(_:)``.
    init(text: String, format: SchemaFormat, strict: Bool = true) throws(RegistryError) {
        self.format = format
        let document: JSONValue
        do {
            document = try JSONValue.parse(text)
        } catch {
            throw .invalidSchema("\(error)")
        }
        normalized = document.serialized()
        do {
            switch format {
            case .avro:
                avro = try AvroSchema(json: document, validateDefaults: strict)
                json = nil
            case .json:
                json = try JSONSchema(document)
                avro = nil
            }
        } catch {
            throw .invalidSchema("\(error)")
        }
    }

    /// A payload validator for this schema under `id`.
    func validator(id: Int32) -> any PayloadValidator {
        if let avro { return AvroPayloadValidator(schemaID: id, schema: avro) }
        return JSONPayloadValidator(schemaID: id, schema: json!)
    }
}
