/// Whether a command runs a step forward or undoes it.
public enum SagaCommandKind: String, Sendable, Hashable, Codable {
    case action
    case compensation
}
