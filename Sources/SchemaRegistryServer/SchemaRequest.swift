import SchemaRegistry

/// The body of `POST /subjects/{s}/versions`, `POST /subjects/{s}` and
/// `POST /compatibility/…`: `{"schema": "...", "schemaType"?: "JSON", "references"?: [...]}`
/// (plus `id`/`version` in IMPORT mode).
struct SchemaRequest: Sendable {
    var schema: String
    var format: SchemaFormat
    var references: [SchemaReference]
    var id: Int32?
    var version: Int?

    /// Decodes the body.
    ///
    /// - Throws: 42201 for a missing schema or an unsupported `schemaType`
    ///   (PROTOBUF included), 422 for mistyped fields.
    init(json: JSONValue) throws(RegistryError) {
        switch json["schemaType"] {
        case nil, .null?:
            format = .avro
        case .string(let name)?:
            guard let known = SchemaFormat(name: name) else {
                throw .invalidSchema("unsupported schema type '\(name)'; supported: AVRO, JSON")
            }
            format = known
        default:
            throw RegistryError(code: 422, message: "schemaType must be a string")
        }
        switch json["schema"] {
        case .string(let text)? where !text.isEmpty:
            schema = text
        case nil, .null?, .string?:
            throw .invalidSchema("Empty schema")
        default:
            throw RegistryError(code: 422, message: "schema must be a string holding the schema's JSON text")
        }
        switch json["references"] {
        case nil, .null?:
            references = []
        case .array(let items)?:
            var decoded: [SchemaReference] = []
            for item in items {
                guard let reference = SchemaReference(json: item) else {
                    throw RegistryError(code: 422, message: "each reference needs a string name and subject and an integer version")
                }
                decoded.append(reference)
            }
            references = decoded
        default:
            throw RegistryError(code: 422, message: "references must be an array")
        }
        let rawID = try Self.optionalInteger("id", json)
        let rawVersion = try Self.optionalInteger("version", json)
        guard rawID.map({ Int32(exactly: $0) != nil }) ?? true, rawVersion.map({ Int32(exactly: $0) != nil }) ?? true else {
            throw RegistryError(code: 422, message: "id and version must be between 1 and 2^31-1")
        }
        id = rawID.map { Int32($0) }
        version = rawVersion.map { Int($0) }
    }

    /// Confluent clients send `-1`/`0` for "not given".
    private static func optionalInteger(_ name: String, _ json: JSONValue) throws(RegistryError) -> Int64? {
        guard let value = json[name], !value.isNull else { return nil }
        guard let number = value.int64Value else {
            throw RegistryError(code: 422, message: "\(name) must be an integer")
        }
        return number > 0 ? number : nil
    }
}
