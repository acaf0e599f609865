/// Confluent's registry modes, globally or per subject.
public enum RegistryMode: String, Sendable, CaseIterable {
    /// Normal operation: registrations and deletes allowed.
    case readWrite = "READWRITE"
    /// Registrations and deletes refused with 42205; reads and config changes allowed.
    case readOnly = "READONLY"
    /// Migration from another registry: registrations may carry their own `id` and
    /// `version`, and are not checked for compatibility.
    case `import` = "IMPORT"

    /// Parses a mode name case-insensitively.
    public init?(name: String) {
        self.init(rawValue: name.uppercased())
    }
}
