/// A difference between topics.yaml and the cluster that the reconciler will not
/// (or Kafka cannot) resolve. Any refusal makes the whole plan fail: `plan` exits 1
/// and `apply` changes nothing.
public struct PlanRefusal: Sendable, Hashable, CustomStringConvertible {
    /// Why the change is refused, for choosing a remedy programmatically.
    public enum Reason: Sendable, Hashable {
        /// The file declares fewer partitions than the topic has.
        case partitionDecrease
        /// The file declares another replication factor than the topic has.
        case replicationFactorChange
        /// The file declares a replication factor above the cluster's broker count.
        case replicationFactorExceedsBrokers
        /// The change would weaken the compliance policy of a topic the cluster enforces.
        case policyWeakening
        /// `--allow-delete` would delete an undeclared topic that is immutable.
        case immutableDeletion
    }

    /// The topic concerned.
    public var topic: String
    /// The kind of refusal.
    public var reason: Reason
    /// What is refused and why, phrased for an operator reading CI output.
    public var message: String

    /// Creates a refusal.
    public init(topic: String, reason: Reason, message: String) {
        self.topic = topic
        self.reason = reason
        self.message = message
    }

    /// `topic: message`.
    public var description: String { "\(topic): \(message)" }
}
