/// A schema compatibility level, as the Confluent Schema Registry names them.
public enum CompatibilityLevel: String, Sendable, Hashable, CaseIterable {
    case none = "NONE"
    case backward = "BACKWARD"
    case backwardTransitive = "BACKWARD_TRANSITIVE"
    case forward = "FORWARD"
    case forwardTransitive = "FORWARD_TRANSITIVE"
    case full = "FULL"
    case fullTransitive = "FULL_TRANSITIVE"
}
