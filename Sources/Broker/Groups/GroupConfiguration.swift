/// Tunables of the group coordinator (Kafka broker settings of the same meaning).
struct GroupConfiguration: Sendable, Equatable {
    /// `group.initial.rebalance.delay.ms`: how long a rebalance of an *empty* group waits
    /// for more members before completing, extended by each new member up to the rebalance
    /// timeout. Kafka defaults to 3000 ms because a fleet of consumers starting together
    /// then gets one rebalance instead of one per consumer. Our broker mostly serves dev,
    /// CI and tests, where a single consumer is common and 3 s per test is costly, so we
    /// default to 300 ms: enough to batch consumers started by one process, short enough
    /// not to be noticed. 0 completes the first join immediately.
    var initialRebalanceDelayMs: Int64

    /// `group.min.session.timeout.ms`: smaller session timeouts get INVALID_SESSION_TIMEOUT.
    var minSessionTimeoutMs: Int32

    /// `group.max.session.timeout.ms`: larger session timeouts get INVALID_SESSION_TIMEOUT.
    var maxSessionTimeoutMs: Int32

    /// `offset.metadata.max.bytes`: longer commit metadata gets OFFSET_METADATA_TOO_LARGE.
    var offsetMetadataMaxBytes: Int

    init(
        initialRebalanceDelayMs: Int64 = 300,
        minSessionTimeoutMs: Int32 = 6_000,
        maxSessionTimeoutMs: Int32 = 1_800_000,
        offsetMetadataMaxBytes: Int = 4_096
    ) {
        self.initialRebalanceDelayMs = initialRebalanceDelayMs
        self.minSessionTimeoutMs = minSessionTimeoutMs
        self.maxSessionTimeoutMs = maxSessionTimeoutMs
        self.offsetMetadataMaxBytes = offsetMetadataMaxBytes
    }
}
