/// An Avro `record` (or `error`) definition.
public struct AvroRecord: Sendable, Equatable {
    /// The record's name; records match across schemas by its unqualified part.
    public var name: AvroName
    /// Alternative full names (aliases resolved against the record's namespace).
    public var aliases: [String]
    /// Documentation; ignored by encoding and resolution.
    public var doc: String?
    /// Fields in declaration order, which is the binary encoding order.
    public var fields: [AvroField]
    /// Declared with `"type": "error"` (same encoding as a record).
    public var isError: Bool

    public init(name: AvroName, aliases: [String] = [], doc: String? = nil, fields: [AvroField], isError: Bool = false) {
        self.name = name
        self.aliases = aliases
        self.doc = doc
        self.fields = fields
        self.isError = isError
    }

    /// The field named `name`, if any.
    public func field(named name: String) -> AvroField? {
        fields.first(where: { $0.name == name })
    }
}
