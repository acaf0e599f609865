/// One config of one topic that a plan changes.
public struct ConfigChange: Sendable, Hashable {
    /// The Kafka config name, e.g. `retention.ms`.
    public var name: String
    /// The cluster's current effective value; `nil` when the cluster did not report the config.
    public var oldValue: String?
    /// The declared value to set.
    public var newValue: String

    /// Creates a config change.
    public init(name: String, oldValue: String?, newValue: String) {
        self.name = name
        self.oldValue = oldValue
        self.newValue = newValue
    }
}
