/// One record header: a name and an optional (null-able) value.
public struct KafkaHeader: Sendable, Hashable {
    public var key: String
    /// The value; `nil` is Kafka's null, distinct from an empty value.
    public var value: [UInt8]?

    public init(key: String, value: [UInt8]?) {
        self.key = key
        self.value = value
    }
}
