import Testing

/// All Kafka client tests run one after another: each starts its own cluster, and the
/// latency measurement must not compete with other tests for the two CPUs.
@Suite(.serialized) struct KafkaTests {}
