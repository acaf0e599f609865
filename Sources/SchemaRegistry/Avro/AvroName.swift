/// A validated Avro name: simple name plus optional namespace.
public struct AvroName: Sendable, Hashable, CustomStringConvertible {
    /// The simple (unqualified) name.
    public var name: String
    /// The namespace, `nil` for the null namespace.
    public var namespace: String?

    /// `namespace.name`, or just `name` in the null namespace.
    public var fullName: String {
        guard let namespace else { return name }
        return namespace + "." + name
    }

    public var description: String { fullName }

    /// Resolves `name` against `enclosingNamespace` as the Avro specification
    /// does: a dotted name carries its own namespace; otherwise the enclosing one applies.
    /// The simple name is validated (``validate(_:)``).
    init(_ name: String, enclosingNamespace: String?) throws {
        if let dot = name.lastIndex(of: ".") {
            let space = String(name[..<dot])
            self.name = try AvroName.validate(String(name[name.index(after: dot)...]))
            self.namespace = AvroName.normalizeNamespace(space)
        } else {
            self.name = try AvroName.validate(name)
            self.namespace = enclosingNamespace.flatMap(AvroName.normalizeNamespace)
        }
    }

    /// Checks a simple name as Avro's Java `Schema.validateName` does: a letter or
    /// `_` first, then letters, digits or `_` (Java's `Character.isLetter`, so
    /// non-ASCII letters are accepted too).
    @discardableResult
    static func validate(_ name: String) throws -> String {
        guard let first = name.first else { throw SchemaError("Empty name") }
        guard first.isLetter || first == "_" else { throw SchemaError("Illegal initial character: \(name)") }
        for c in name.dropFirst() where !(c.isLetter || c.isNumber || c == "_") {
            throw SchemaError("Illegal character in: \(name)")
        }
        return name
    }

    /// An empty namespace is the null namespace. Other namespaces are taken as
    /// written: Avro 1.11's Java parser (the one Confluent ships) validates simple
    /// names only, so rejecting e.g. `com.my-company` would refuse schemas Confluent accepts.
    static func normalizeNamespace(_ space: String) -> String? {
        space.isEmpty ? nil : space
    }
}
