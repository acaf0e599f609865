/// Applies a ``CompatibilityLevel`` to a schema history using a format-specific
/// pairwise reader/writer check, with Confluent Schema Registry's semantics.
///
/// The format engines (Avro, JSON Schema) only answer "can `reader` read data
/// written with `writer`?"; which pairs to ask is decided here, once, for all formats.
public enum CompatibilityChecker {
    /// Checks `candidate` against `previous` (oldest first) under `level`.
    ///
    /// - BACKWARD: the candidate, as reader, reads the latest previous schema (writer).
    /// - FORWARD: the latest previous schema, as reader, reads the candidate (writer).
    /// - FULL: both. `*_TRANSITIVE`: against every previous schema, not just the latest.
    /// - NONE, or an empty history: always compatible.
    ///
    /// - Parameter pairwise: returns incompatibility messages for one reader/writer
    ///   pair; an empty array means the reader can read the writer's data.
    public static func check<S>(
        level: CompatibilityLevel,
        candidate: S,
        previous: [S],
        pairwise: (_ reader: S, _ writer: S) -> [String]
    ) -> CompatibilityResult {
        guard level != .none, let latest = previous.last else { return .compatible }
        // Newest first, so the most relevant failure is reported first (as Confluent does).
        let targets: [S] = level.isTransitive ? previous.reversed() : [latest]
        var messages: [String] = []
        for old in targets {
            if level.checksBackward {
                messages += pairwise(candidate, old)
            }
            if level.checksForward {
                messages += pairwise(old, candidate)
            }
        }
        return CompatibilityResult(isCompatible: messages.isEmpty, messages: messages)
    }
}
