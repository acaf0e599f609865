/// A subject's compatibility policy, named exactly as Confluent Schema Registry names it.
///
/// The raw values are the strings used on the wire (REST API, `topics.yaml`, the
/// conformance cases), so `CompatibilityLevel(rawValue: "BACKWARD")` parses them.
public enum CompatibilityLevel: String, Sendable, CaseIterable {
    /// Every candidate is accepted.
    case none = "NONE"
    /// The candidate (as reader) can read data written with the latest previous schema.
    case backward = "BACKWARD"
    /// The candidate (as reader) can read data written with every previous schema.
    case backwardTransitive = "BACKWARD_TRANSITIVE"
    /// The latest previous schema (as reader) can read data written with the candidate.
    case forward = "FORWARD"
    /// Every previous schema (as reader) can read data written with the candidate.
    case forwardTransitive = "FORWARD_TRANSITIVE"
    /// Both ``backward`` and ``forward`` against the latest previous schema.
    case full = "FULL"
    /// Both ``backwardTransitive`` and ``forwardTransitive``.
    case fullTransitive = "FULL_TRANSITIVE"

    /// Whether the candidate must be readable-from (candidate reads old data).
    var checksBackward: Bool { [.backward, .backwardTransitive, .full, .fullTransitive].contains(self) }
    /// Whether old readers must be able to read the candidate's data.
    var checksForward: Bool { [.forward, .forwardTransitive, .full, .fullTransitive].contains(self) }
    /// Whether every previous schema is checked, not only the latest.
    var isTransitive: Bool { [.backwardTransitive, .forwardTransitive, .fullTransitive].contains(self) }
}
