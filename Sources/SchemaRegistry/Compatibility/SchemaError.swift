/// A schema (or JSON document) that could not be parsed or is invalid.
public struct SchemaError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What is wrong, in words.
    public var message: String
    /// Where in the schema document, as a JSON-pointer-like path (`/fields/2/default`), when known.
    public var path: String?

    public init(_ message: String, path: String? = nil) {
        self.message = message
        self.path = path
    }

    public var description: String {
        if let path, !path.isEmpty { return "\(message) (at \(path))" }
        return message
    }
}
