/// A parsed, validated Avro schema.
///
/// ```swift
/// let schema = try AvroSchema(parsing: #"{"type":"record","name":"P","fields":[{"name":"id","type":"long"}]}"#)
/// try schema.validate(payload: [0x02])          // id = 1
/// schema.canonicalForm                            // {"name":"P","type":"record","fields":[…]}
/// ```
public struct AvroSchema: Sendable, Equatable, CustomStringConvertible {
    /// The root type.
    public let root: AvroType
    /// Every named type the schema defines, by full name; ``AvroType/reference(_:)``
    /// nodes resolve through it.
    public let namedTypes: [String: AvroType]
    /// The schema flattened for payload validation (derived from the two above).
    let validationPlan: AvroValidationPlan

    /// Parses `text` as Apache Avro's Java parser does, including its checks:
    /// valid names, no duplicate names or fields, union rules (no nested unions,
    /// no two branches of the same type unless differently named), and — unless
    /// `validateDefaults` is `false` — every field default fits its type.
    ///
    /// - Parameter validateDefaults: Confluent loads already-registered schemas
    ///   without checking defaults and checks them only for new registrations; pass
    ///   `false` for the former.
    /// - Throws: ``SchemaError``.
    public init(parsing text: String, validateDefaults: Bool = true) throws {
        try self.init(json: try JSONValue.parse(text), validateDefaults: validateDefaults)
    }

    /// Parses an already-decoded JSON schema document.
    public init(json: JSONValue, validateDefaults: Bool = true) throws {
        var parser = AvroSchemaParser(validateDefaults: validateDefaults)
        root = try parser.parse(json, namespace: nil, path: "")
        namedTypes = parser.namedTypes
        validationPlan = AvroValidationPlan(root: root, namedTypes: namedTypes)
    }

    /// Schemas are equal when their types are; the validation plan follows from them.
    public static func == (lhs: AvroSchema, rhs: AvroSchema) -> Bool {
        lhs.root == rhs.root && lhs.namedTypes == rhs.namedTypes
    }

    /// Parsing Canonical Form: equal for schemas that read and write data alike.
    public var canonicalForm: String {
        AvroCanonicalForm.string(of: root, namedTypes: namedTypes)
    }

    /// The CRC-64-AVRO fingerprint of ``canonicalForm`` (the spec's 64-bit Rabin fingerprint).
    public var fingerprint: UInt64 {
        AvroFingerprint.rabin(canonicalForm.utf8)
    }

    public var description: String { canonicalForm }

    /// The definition behind a node: logical annotations stripped, references followed.
    func resolved(_ type: AvroType) -> AvroType {
        switch type {
        case .logical(_, let base): return resolved(base)
        case .reference(let name): return namedTypes[name].map(resolved) ?? type
        default: return type
        }
    }
}
