import Kafka
import Logging
import Synchronization

/// Event streams in Kafka topics, with expected-version appends, idempotent retries,
/// rebuilding aggregates by replay and snapshots.
///
/// Every event is one record of ``EventStoreConfiguration/eventsTopic``: key = aggregate id,
/// value = the payload in the codec's format, headers = its ``EventEnvelope``. An aggregate's
/// events all go to one partition, so their order there is the stream's order.
///
/// ```swift
/// let store = try EventStore(configuration: .init(bootstrapServers: ["127.0.0.1:9092"],
///                                                  eventsTopic: "payment-events", producerName: "payments"),
///                            logger: logger)
/// var account = try await store.load(Account.self, id: "acct-1")
/// try await store.append(to: "acct-1", expectedVersion: account.version, events: [AccountEvent.deposited(amountMinor: 500)])
/// ```
///
/// Guarantees: against `eventd` with `compliancelog.expected.version=true` on the events
/// topic, the broker checks each event's version atomically with the append, so of two
/// appends at the same expected version — from any processes — exactly one succeeds and the
/// other throws ``EventStoreError/conflict(aggregateID:expected:actual:)``. Against a broker
/// without that check the store reads the stream before appending, which catches stale
/// writers but not two that race (see the README).
public final class EventStore: Sendable {
    public let configuration: EventStoreConfiguration
    let codec: any EventCodec
    let logger: Logger
    let producer: KafkaProducer
    let admin: KafkaAdmin
    let deliveries = DeliveryWaiters()
    let reader: PartitionReader
    private let reports: Task<Void, Never>
    /// Partition counts and whether the broker enforces versions, per topic, learned once.
    let topicFacts = Mutex<[String: TopicFacts]>([:])

    struct TopicFacts: Sendable {
        var partitionCount: Int32
        var enforcesVersions: Bool
    }

    /// Connects a producer and an admin client in the background.
    /// - Throws: ``KafkaError`` when a client property is invalid.
    public init(configuration: EventStoreConfiguration, codec: any EventCodec = JSONEventCodec(), logger: Logger) throws {
        self.configuration = configuration
        self.codec = codec
        self.logger = logger
        var producerConfiguration = KafkaProducerConfiguration(bootstrapServers: configuration.bootstrapServers)
        // The broker's version check already refuses a re-sent batch, and an idempotent
        // producer treats a refused batch as a sequence gap; so plain retries, acks=all.
        producerConfiguration.idempotence = false
        producerConfiguration.acks = .all
        producerConfiguration.compression = .none
        producerConfiguration.additionalProperties = configuration.additionalProperties
        producer = try KafkaProducer(configuration: producerConfiguration, logger: logger)
        var adminConfiguration = KafkaAdminConfiguration(bootstrapServers: configuration.bootstrapServers)
        adminConfiguration.additionalProperties = configuration.additionalProperties
        admin = try KafkaAdmin(configuration: adminConfiguration, logger: logger)
        reader = PartitionReader(bootstrapServers: configuration.bootstrapServers, additionalProperties: configuration.additionalProperties, logger: logger)
        let producer = self.producer
        let deliveries = self.deliveries
        reports = Task {
            for await batch in producer.deliveryReports { deliveries.deliver(batch) }
            deliveries.finish()
        }
    }

    /// Delivers what is in flight, then closes the clients.
    public func shutdown() async {
        await producer.shutdown(flushTimeout: .seconds(10))
        await reports.value
        await admin.shutdown()
    }

    /// The partition holding `aggregateID`'s stream in `topic`, and whether the broker checks versions there.
    func facts(of topic: String) async throws -> TopicFacts {
        if let known = topicFacts.withLock({ $0[topic] }) { return known }
        guard let metadata = try await admin.metadata().topic(topic), !metadata.partitions.isEmpty else {
            throw EventStoreError.unknownTopic(topic)
        }
        let entries = (try? await admin.describeTopicConfig(topic)) ?? []
        let enforces = entries.contains { $0.name == Self.expectedVersionConfig && $0.value == "true" }
        if !enforces, topic == configuration.eventsTopic {
            logger.warning("the broker does not enforce expected versions on this topic: concurrent appends can both succeed",
                           metadata: ["topic": "\(topic)", "config": "\(Self.expectedVersionConfig)"])
        }
        let facts = TopicFacts(partitionCount: Int32(metadata.partitions.count), enforcesVersions: enforces)
        topicFacts.withLock { $0[topic] = facts }
        return facts
    }

    func partition(of aggregateID: String, in topic: String) async throws -> Int32 {
        StreamPartitioner.partition(of: aggregateID, partitionCount: try await facts(of: topic).partitionCount)
    }

    /// The topic config through which `eventd` enforces expected versions (TopicPolicy's
    /// `PolicyConfigKey.expectedVersion`; spelled out so this library does not depend on TopicPolicy).
    static let expectedVersionConfig = "compliancelog.expected.version"
}
