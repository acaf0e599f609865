/// One configuration entry of a topic, as returned by ``KafkaAdmin/describeTopicConfig(_:)``.
public struct KafkaConfigEntry: Sendable, Hashable {
    public var name: String
    /// The value; `nil` when unset or sensitive.
    public var value: String?
    /// Whether the value is the broker's default (not set on the topic).
    public var isDefault: Bool
    public var isReadOnly: Bool
    public var isSensitive: Bool
    /// Whether the value was set on this topic (a dynamic topic config).
    public var isTopicOverride: Bool
}
