/// One node of a parsed Avro schema.
///
/// Named types (record, enum, fixed) appear as a definition (``record(_:)``,
/// ``enumeration(_:)``, ``fixed(_:)``) exactly where the schema text defines them;
/// every later use is a ``reference(_:)`` by full name, resolved through
/// ``AvroSchema/namedTypes``. That keeps recursive schemas (a linked list) finite
/// values and mirrors Parsing Canonical Form, which writes later uses as names.
public indirect enum AvroType: Sendable, Equatable {
    case null
    case boolean
    case int
    case long
    case float
    case double
    case bytes
    case string
    case array(items: AvroType)
    case map(values: AvroType)
    /// Branches in declaration order (the binary encoding's union index).
    case union([AvroType])
    case record(AvroRecord)
    case enumeration(AvroEnum)
    case fixed(AvroFixed)
    /// A use of a named type defined elsewhere in the same schema, by full name.
    case reference(String)
    /// A (valid) logical type annotating its underlying type. Invalid logical
    /// types are ignored, as Avro's Java parser does, so they never appear here.
    case logical(AvroLogicalType, AvroType)

    /// The name Avro's Java API uses for this node's type (`INT`, `RECORD`, …),
    /// used in compatibility messages so they read like Avro's own.
    var javaTypeName: String {
        switch self {
        case .null: return "NULL"
        case .boolean: return "BOOLEAN"
        case .int: return "INT"
        case .long: return "LONG"
        case .float: return "FLOAT"
        case .double: return "DOUBLE"
        case .bytes: return "BYTES"
        case .string: return "STRING"
        case .array: return "ARRAY"
        case .map: return "MAP"
        case .union: return "UNION"
        case .record: return "RECORD"
        case .enumeration: return "ENUM"
        case .fixed: return "FIXED"
        case .reference(let name): return name
        case .logical(_, let base): return base.javaTypeName
        }
    }

    /// The primitive type names, which are also reserved as schema strings.
    static let primitives: [String: AvroType] = [
        "null": .null, "boolean": .boolean, "int": .int, "long": .long,
        "float": .float, "double": .double, "bytes": .bytes, "string": .string,
    ]
}
