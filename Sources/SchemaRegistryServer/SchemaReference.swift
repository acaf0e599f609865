import SchemaRegistry

/// A reference from one schema to another registered schema (Confluent's
/// `references` entry: the name the schema uses, and the subject/version it names).
///
/// References are stored, returned and part of a schema's identity, but they are
/// not resolved: Avro named types and JSON `$ref`s must be self-contained for
/// parsing, compatibility checks and payload validation.
public struct SchemaReference: Sendable, Hashable {
    /// The name under which the referencing schema imports the other one.
    public var name: String
    /// The subject of the referenced schema.
    public var subject: String
    /// The version of the referenced schema under ``subject``.
    public var version: Int

    public init(name: String, subject: String, version: Int) {
        self.name = name
        self.subject = subject
        self.version = version
    }

    /// `{"name":…,"subject":…,"version":…}`, Confluent's field order.
    var json: JSONValue {
        .object([
            (key: "name", value: .string(name)),
            (key: "subject", value: .string(subject)),
            (key: "version", value: .integer(Int64(version))),
        ])
    }

    /// Decodes one `references` entry; `nil` when a field is missing or mistyped.
    init?(json: JSONValue) {
        guard let name = json["name"]?.stringValue,
              let subject = json["subject"]?.stringValue,
              let version = json["version"]?.int64Value, let v = Int(exactly: version)
        else { return nil }
        self.init(name: name, subject: subject, version: v)
    }
}
