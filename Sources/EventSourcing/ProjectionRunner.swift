import Kafka
import Logging

/// Runs a ``Projection`` over a topic as a checkpointed consumer.
///
/// Each run starts from the stored checkpoint (state + next offset per partition), applies
/// the events after it, and saves state and offsets together every `checkpointEvery` events
/// and when it is done. A crash loses at most the events since the last checkpoint, and
/// those are applied again to the checkpoint's state — never skipped, never applied twice.
/// Records without an event envelope are passed over (their offsets still count).
public struct ProjectionRunner<P: Projection>: Sendable {
    public let projection: P
    public let store: any ProjectionStore
    public let topic: String
    public let checkpointEvery: Int
    let bootstrapServers: [String]
    let logger: Logger

    public init(projection: P, store: any ProjectionStore, bootstrapServers: [String], topic: String, checkpointEvery: Int = 100, logger: Logger) {
        self.projection = projection
        self.store = store
        self.bootstrapServers = bootstrapServers
        self.topic = topic
        self.checkpointEvery = max(1, checkpointEvery)
        self.logger = logger
    }

    /// The stored state, or the initial one.
    public func currentState() throws -> P.State {
        try store.load(P.State.self, projection: projection.name)?.state ?? projection.initialState()
    }

    /// Applies every event stored up to now and returns the state it checkpointed.
    public func catchUp() async throws -> P.State {
        var checkpoint = try store.load(P.State.self, projection: projection.name)
            ?? ProjectionCheckpoint(state: projection.initialState(), nextOffsets: [:])
        let partitionCount = try await partitions()
        let reader = PartitionReader(bootstrapServers: bootstrapServers, additionalProperties: [:], logger: logger)
        var sinceCheckpoint = 0
        for partition in 0..<partitionCount {
            try await reader.read(topic: topic, partition: partition, from: checkpoint.nextOffsets[partition]) { message in
                if let envelope = try? EventEnvelope(headers: message.headers) {
                    let event = RecordedEvent(envelope: envelope, payload: message.value ?? [], topic: topic, partition: partition, offset: message.offset)
                    try projection.apply(event, to: &checkpoint.state)
                }
                checkpoint.nextOffsets[partition] = message.offset + 1
                sinceCheckpoint += 1
                if sinceCheckpoint >= checkpointEvery {
                    try store.save(checkpoint, projection: projection.name)
                    sinceCheckpoint = 0
                }
            }
        }
        if sinceCheckpoint > 0 { try store.save(checkpoint, projection: projection.name) }
        return checkpoint.state
    }

    /// Catches up again and again until the task is cancelled.
    public func run(pollInterval: Duration = .milliseconds(200)) async throws {
        while !Task.isCancelled {
            _ = try await catchUp()
            try await Task.sleep(for: pollInterval)
        }
    }

    private func partitions() async throws -> Int32 {
        let admin = try KafkaAdmin(configuration: KafkaAdminConfiguration(bootstrapServers: bootstrapServers), logger: logger)
        let metadata: KafkaClusterMetadata
        do {
            metadata = try await admin.metadata()
        } catch {
            await admin.shutdown()
            throw error
        }
        await admin.shutdown()
        guard let topic = metadata.topic(topic), !topic.partitions.isEmpty else { throw EventStoreError.unknownTopic(self.topic) }
        return Int32(topic.partitions.count)
    }
}
