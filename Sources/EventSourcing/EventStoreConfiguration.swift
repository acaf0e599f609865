/// Where an ``EventStore`` keeps its streams.
public struct EventStoreConfiguration: Sendable {
    public var bootstrapServers: [String]
    /// The topic holding every event; an aggregate's stream is one partition of it, chosen
    /// by the aggregate id (FNV-1a 32 modulo the partition count). Create it with
    /// `compliancelog.expected.version=true` (`event_store: true` in topics.yaml).
    public var eventsTopic: String
    /// A compacted topic holding the latest snapshot per aggregate (key = aggregate id).
    public var snapshotsTopic: String
    /// Written to every event's `producer` header.
    public var producerName: String
    /// How often an append whose batch was refused for another aggregate's sake (events of
    /// several appends can share a batch) is tried again.
    public var maxAppendAttempts: Int = 3
    /// Extra librdkafka properties for the store's producer and readers.
    public var additionalProperties: [String: String] = [:]

    public init(bootstrapServers: [String], eventsTopic: String, snapshotsTopic: String? = nil, producerName: String) {
        self.bootstrapServers = bootstrapServers
        self.eventsTopic = eventsTopic
        self.snapshotsTopic = snapshotsTopic ?? "\(eventsTopic)-snapshots"
        self.producerName = producerName
    }
}
