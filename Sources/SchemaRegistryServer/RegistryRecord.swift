import SchemaRegistry

/// One entry of the `_schemas` log, in Confluent's key/value JSON layout.
///
/// The registry's state is a pure function of these records (``RegistryState/apply(_:)``):
/// live operations append records and then apply them, and a restart replays
/// them, so both paths share one code path and rebuild the same ids and versions.
/// Every record is a complete statement about its key, so a compacted log (last
/// value per key) rebuilds the same state as the full log.
enum RegistryRecord: Sendable, Equatable {
    /// `SCHEMA` key: a subject version and the schema it registered.
    case schema(SchemaVersion)
    /// `SCHEMA` tombstone: a permanently deleted subject version.
    case schemaTombstone(subject: String, version: Int)
    /// `CONFIG` key: the compatibility level, global when `subject` is `nil`.
    case config(subject: String?, level: CompatibilityLevel)
    /// `CONFIG` tombstone: the subject (or global) level reverts to its default.
    case configTombstone(subject: String?)
    /// `MODE` key: the mode, global when `subject` is `nil`.
    case mode(subject: String?, mode: RegistryMode)
    /// `MODE` tombstone.
    case modeTombstone(subject: String?)
    /// `DELETE_SUBJECT` key: every version up to `version` is soft-deleted.
    case deleteSubject(subject: String, version: Int)
    /// A `DELETE_SUBJECT` tombstone, or a key type with no effect on state (`NOOP`, …).
    case ignored

    // MARK: Encoding

    /// The record's key and value bytes (`nil` value: tombstone).
    var encoded: (key: [UInt8], value: [UInt8]?) {
        switch self {
        case .schema(let v):
            return (Self.schemaKey(v.subject, v.version), Array(Self.schemaValue(v).serialized().utf8))
        case .schemaTombstone(let subject, let version):
            return (Self.schemaKey(subject, version), nil)
        case .config(let subject, let level):
            let value = JSONValue.object([(key: "compatibilityLevel", value: .string(level.rawValue))])
            return (Self.key("CONFIG", subject), Array(value.serialized().utf8))
        case .configTombstone(let subject):
            return (Self.key("CONFIG", subject), nil)
        case .mode(let subject, let mode):
            let value = JSONValue.object([(key: "mode", value: .string(mode.rawValue))])
            return (Self.key("MODE", subject), Array(value.serialized().utf8))
        case .modeTombstone(let subject):
            return (Self.key("MODE", subject), nil)
        case .deleteSubject(let subject, let version):
            let value = JSONValue.object([
                (key: "subject", value: .string(subject)),
                (key: "version", value: .integer(Int64(version))),
            ])
            return (Self.key("DELETE_SUBJECT", subject), Array(value.serialized().utf8))
        case .ignored:
            return (Self.key("NOOP", nil), nil)
        }
    }

    private static func schemaKey(_ subject: String, _ version: Int) -> [UInt8] {
        let key = JSONValue.object([
            (key: "keytype", value: .string("SCHEMA")),
            (key: "subject", value: .string(subject)),
            (key: "version", value: .integer(Int64(version))),
            (key: "magic", value: .integer(1)),
        ])
        return Array(key.serialized().utf8)
    }

    private static func key(_ type: String, _ subject: String?) -> [UInt8] {
        var members: [(key: String, value: JSONValue)] = [(key: "keytype", value: .string(type))]
        if let subject { members.append((key: "subject", value: .string(subject))) }
        members.append((key: "magic", value: .integer(0)))
        return Array(JSONValue.object(members).serialized().utf8)
    }

    private static func schemaValue(_ v: SchemaVersion) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = [
            (key: "subject", value: .string(v.subject)),
            (key: "version", value: .integer(Int64(v.version))),
            (key: "id", value: .integer(Int64(v.id))),
        ]
        // Confluent omits schemaType for Avro, its default.
        if v.schema.format != .avro {
            members.append((key: "schemaType", value: .string(v.schema.format.confluentName)))
        }
        if !v.schema.references.isEmpty {
            members.append((key: "references", value: .array(v.schema.references.map(\.json))))
        }
        members.append((key: "schema", value: .string(v.schema.schema)))
        members.append((key: "deleted", value: .bool(v.isDeleted)))
        return .object(members)
    }

    // MARK: Decoding

    /// Decodes a log entry.
    ///
    /// - Throws: ``SchemaError`` for a key or value that is not the expected JSON;
    ///   unknown key types decode as ``ignored`` so newer logs still load.
    init(key: [UInt8], value: [UInt8]?) throws {
        let keyJSON = try JSONValue.parse(String(decoding: key, as: UTF8.self))
        guard let keyType = keyJSON["keytype"]?.stringValue else { throw SchemaError("record key has no keytype") }
        let subject = keyJSON["subject"]?.stringValue
        let valueJSON = try value.map { try JSONValue.parse(String(decoding: $0, as: UTF8.self)) }
        switch keyType {
        case "SCHEMA":
            guard let subject, let version = keyJSON["version"]?.int64Value.flatMap({ Int(exactly: $0) }) else {
                throw SchemaError("SCHEMA key without subject or version")
            }
            guard let valueJSON, !valueJSON.isNull else {
                self = .schemaTombstone(subject: subject, version: version)
                return
            }
            self = .schema(try Self.decodeSchemaValue(valueJSON, subject: subject, version: version))
        case "CONFIG":
            guard let valueJSON, !valueJSON.isNull else {
                self = .configTombstone(subject: subject)
                return
            }
            guard let name = valueJSON["compatibilityLevel"]?.stringValue,
                  let level = CompatibilityLevel(rawValue: name.uppercased())
            else { throw SchemaError("CONFIG value without a valid compatibilityLevel") }
            self = .config(subject: subject, level: level)
        case "MODE":
            guard let valueJSON, !valueJSON.isNull else {
                self = .modeTombstone(subject: subject)
                return
            }
            guard let name = valueJSON["mode"]?.stringValue, let mode = RegistryMode(name: name) else {
                throw SchemaError("MODE value without a valid mode")
            }
            self = .mode(subject: subject, mode: mode)
        case "DELETE_SUBJECT":
            guard let valueJSON, !valueJSON.isNull else {
                self = .ignored
                return
            }
            guard let subject = subject ?? valueJSON["subject"]?.stringValue,
                  let version = valueJSON["version"]?.int64Value.flatMap({ Int(exactly: $0) })
            else { throw SchemaError("DELETE_SUBJECT value without subject or version") }
            self = .deleteSubject(subject: subject, version: version)
        default:
            self = .ignored
        }
    }

    private static func decodeSchemaValue(_ json: JSONValue, subject: String, version: Int) throws -> SchemaVersion {
        guard let rawID = json["id"]?.int64Value, let id = Int32(exactly: rawID),
              let text = json["schema"]?.stringValue
        else { throw SchemaError("SCHEMA value without id or schema") }
        let typeName = json["schemaType"]?.stringValue ?? "AVRO"
        guard let format = SchemaFormat(name: typeName) else {
            throw SchemaError("unsupported schemaType \(typeName)")
        }
        let references = (json["references"]?.arrayValue ?? []).compactMap(SchemaReference.init(json:))
        return SchemaVersion(
            subject: subject,
            version: version,
            schema: RegisteredSchema(id: id, format: format, schema: text, references: references),
            isDeleted: json["deleted"]?.boolValue ?? false
        )
    }
}
