/// One field of an ``AvroRecord``.
public struct AvroField: Sendable, Equatable {
    /// Sort order, which only affects Avro's binary comparison, never encoding.
    public enum Order: String, Sendable {
        case ascending, descending, ignore
    }

    /// The field name; reader and writer fields match by it (or by reader aliases).
    public var name: String
    /// The field's schema.
    public var type: AvroType
    /// The default as written in the schema; it has been checked against ``type``.
    public var defaultValue: JSONValue?
    /// Former names a reader also accepts for this field.
    public var aliases: [String]
    /// Sort order (`ascending` unless declared).
    public var order: Order
    /// Documentation; ignored by encoding and resolution.
    public var doc: String?

    public init(name: String, type: AvroType, defaultValue: JSONValue? = nil, aliases: [String] = [], order: Order = .ascending, doc: String? = nil) {
        self.name = name
        self.type = type
        self.defaultValue = defaultValue
        self.aliases = aliases
        self.order = order
        self.doc = doc
    }
}
