/// A Kafka `cleanup.policy` value.
///
/// A topic's policy is a list of these: `[delete]`, `[compact]` or
/// `[compact, delete]` (compacted, and segments older than retention are
/// also deleted).
public enum CleanupPolicy: String, Sendable, Hashable, CaseIterable, Comparable {
    /// Keep only the latest record per key.
    case compact
    /// Delete segments older than `retention.ms` or beyond `retention.bytes`.
    case delete

    /// Orders `compact` before `delete`, the order Kafka tooling prints them in,
    /// so that a policy list has one canonical form and compares equal to
    /// what a cluster reports.
    public static func < (lhs: CleanupPolicy, rhs: CleanupPolicy) -> Bool {
        lhs.rawValue < rhs.rawValue
    }
}
