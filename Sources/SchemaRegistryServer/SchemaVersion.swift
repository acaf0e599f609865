import SchemaRegistry

/// One version of a subject: which schema (by id) it registered, and whether it
/// has been soft-deleted.
public struct SchemaVersion: Sendable, Equatable {
    /// The subject, e.g. `payment-transactions-value`.
    public var subject: String
    /// The version within the subject (1, 2, …).
    public var version: Int
    /// The schema this version registered.
    public var schema: RegisteredSchema
    /// Soft-deleted versions are hidden from reads unless asked for, and are not
    /// checked for compatibility.
    public var isDeleted: Bool

    public init(subject: String, version: Int, schema: RegisteredSchema, isDeleted: Bool = false) {
        self.subject = subject
        self.version = version
        self.schema = schema
        self.isDeleted = isDeleted
    }

    /// The global schema id (shorthand for `schema.id`).
    public var id: Int32 { schema.id }
}
