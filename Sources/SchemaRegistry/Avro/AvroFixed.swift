/// An Avro `fixed` definition: exactly ``size`` bytes.
public struct AvroFixed: Sendable, Equatable {
    /// The fixed type's name.
    public var name: AvroName
    /// Alternative full names a reader accepts for the writer's type.
    public var aliases: [String]
    /// Documentation; ignored by encoding and resolution.
    public var doc: String?
    /// The exact number of bytes of every value.
    public var size: Int

    public init(name: AvroName, aliases: [String] = [], doc: String? = nil, size: Int) {
        self.name = name
        self.aliases = aliases
        self.doc = doc
        self.size = size
    }
}
