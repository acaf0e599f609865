/// Settings of a ``KafkaConsumer``.
///
/// Offsets are stored only for messages the application has moved past (see
/// ``CommitStrategy``), so a crash never commits an event that was not processed:
/// delivery is at least once. Any librdkafka property not modelled here can be set
/// through ``additionalProperties``; those entries win over the typed values.
public struct KafkaConsumerConfiguration: Sendable {
    /// When offsets are committed.
    public enum CommitStrategy: Sendable, Hashable {
        /// Commit periodically in the background. A message's offset becomes eligible once
        /// the iteration asks for the next message, i.e. once the loop body finished it.
        case automatic(interval: Duration = .seconds(5))
        /// Commit only through ``KafkaConsumer/commit(_:)`` and
        /// ``KafkaConsumer/commit(topic:partition:offset:)``.
        case manual
    }

    /// Where to start when the group has no committed offset (`auto.offset.reset`).
    public enum OffsetReset: String, Sendable, Hashable {
        case earliest, latest
        /// Fail with an error instead of guessing.
        case error
    }

    /// `host:port` of one or more brokers to bootstrap from (`bootstrap.servers`).
    public var bootstrapServers: [String]
    /// `group.id`. Needed for ``KafkaConsumer/subscribe(topics:)`` and for commits; partitions
    /// can be assigned without a group.
    public var groupID: String?
    /// `client.id`.
    public var clientID: String = "compliancelog"
    /// See ``CommitStrategy``.
    public var commitStrategy: CommitStrategy = .automatic()
    /// `auto.offset.reset`. Defaults to `earliest`: an audit consumer must not skip events.
    public var offsetReset: OffsetReset = .earliest
    /// `session.timeout.ms`.
    public var sessionTimeout: Duration = .seconds(45)
    /// `isolation.level=read_committed` when true.
    public var readCommitted: Bool = true
    /// Any other librdkafka property. Wins over typed values.
    public var additionalProperties: [String: String] = [:]

    public init(bootstrapServers: [String], groupID: String? = nil) {
        self.bootstrapServers = bootstrapServers
        self.groupID = groupID
    }

    var properties: [String: String] {
        var properties: [String: String] = [
            "bootstrap.servers": bootstrapServers.joined(separator: ","),
            "client.id": clientID,
            "auto.offset.reset": offsetReset.rawValue,
            "session.timeout.ms": String(sessionTimeout.milliseconds),
            "isolation.level": readCommitted ? "read_committed" : "read_uncommitted",
            // The consumer stores offsets itself, after the application moved past a message.
            "enable.auto.offset.store": "false",
            // Partition EOF events carry no data; the sequence simply waits for more.
            "enable.partition.eof": "false",
        ]
        if let groupID { properties["group.id"] = groupID }
        switch commitStrategy {
        case .automatic(let interval):
            properties["enable.auto.commit"] = "true"
            properties["auto.commit.interval.ms"] = String(interval.milliseconds)
        case .manual:
            properties["enable.auto.commit"] = "false"
        }
        properties.merge(additionalProperties) { _, escapeHatch in escapeHatch }
        return properties
    }
}
