/// A topic's `schema:` section: which schema files govern its records.
public struct SchemaSpec: Sendable, Hashable {
    /// Path of the value schema (`.avsc` or JSON Schema), relative to the topics file.
    public var value: String
    /// Path of the key schema, relative to the topics file, if keys are schema-governed.
    public var key: String?
    /// Compatibility level new schema versions must meet. `BACKWARD` when not declared,
    /// the Schema Registry default.
    public var compatibility: CompatibilityLevel
    /// Whether records must carry a key. Validation requires a ``key`` schema when this
    /// is set on a compacted topic, because compaction is by key.
    public var keyRequired: Bool

    /// Creates a schema section.
    public init(value: String, key: String? = nil, compatibility: CompatibilityLevel = .backward, keyRequired: Bool = false) {
        self.value = value
        self.key = key
        self.compatibility = compatibility
        self.keyRequired = keyRequired
    }
}
