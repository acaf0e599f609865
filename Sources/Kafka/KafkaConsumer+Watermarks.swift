import CRdKafka

extension KafkaConsumer {
    /// The partition's low watermark (first offset still stored) and high watermark (the
    /// offset the next message gets), asked from the partition leader.
    ///
    /// Reading a partition "to its end" means reading until the offset before `high`.
    /// - Throws: ``KafkaError`` (for example UNKNOWN_TOPIC_OR_PARTITION or `_TIMED_OUT`),
    ///   ``KafkaError/shutdown`` after close.
    public func watermarks(topic: String, partition: Int32, timeout: Duration = .seconds(10)) async throws -> (low: Int64, high: Int64) {
        let client = self.client
        return try await offload {
            try client.withHandle { rk in
                var low: Int64 = -1
                var high: Int64 = -1
                try KafkaError.check(
                    rd_kafka_query_watermark_offsets(rk, topic, partition, &low, &high, Int32(clamping: timeout.milliseconds)),
                    "query watermark offsets")
                return (low, high)
            }
        }
    }
}
