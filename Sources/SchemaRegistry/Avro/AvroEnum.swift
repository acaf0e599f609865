/// An Avro `enum` definition.
public struct AvroEnum: Sendable, Equatable {
    /// The enum's name.
    public var name: AvroName
    /// Alternative full names a reader accepts for the writer's enum.
    public var aliases: [String]
    /// Documentation; ignored by encoding and resolution.
    public var doc: String?
    /// Symbols in declaration order (the binary encoding's index).
    public var symbols: [String]
    /// The symbol a reader substitutes for writer symbols it does not know.
    public var defaultSymbol: String?

    public init(name: AvroName, aliases: [String] = [], doc: String? = nil, symbols: [String], defaultSymbol: String? = nil) {
        self.name = name
        self.aliases = aliases
        self.doc = doc
        self.symbols = symbols
        self.defaultSymbol = defaultSymbol
    }
}
