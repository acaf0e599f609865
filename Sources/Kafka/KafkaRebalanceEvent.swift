/// A change of the partitions a group consumer owns, as observed through
/// ``KafkaConsumer/rebalanceEvents``.
public enum KafkaRebalanceEvent: Sendable, Hashable {
    /// The group gave these partitions to this consumer.
    case assigned([KafkaTopicPartition])
    /// The group took these partitions away (their offsets were committed first under
    /// automatic commit).
    case revoked([KafkaTopicPartition])
    /// The rebalance failed; the consumer dropped its assignment and rejoins.
    case failed(KafkaError)
}
