import AuditChain
import Foundation
import KafkaProtocol
import LogStore
import Logging
import NIOConcurrencyHelpers
import NIOCore
import SchemaRegistryServer

/// The broker's shared state: topic catalogue, partition logs, group commit, consumer groups.
///
/// Request handlers on any event loop share one `BrokerCore`; each piece guards itself.
final class BrokerCore: Sendable {
    let configuration: BrokerConfiguration
    let logger: Logger
    let topics: TopicStore
    let logs: LogManager
    let flusher: LogFlusher
    let waiters = FetchWaiters()
    let metrics = BrokerMetrics()
    let producerIDs: ProducerIDAllocator
    let groups: GroupCoordinator
    let trail: ComplianceTrail
    let security: BrokerSecurity
    let cleaner: LogCleaner
    let auditor: BrokerAuditor
    let expectedVersions = ExpectedVersionGuard()
    let schemaStore: SchemaStore
    let schemasLog: SchemasTopicLog
    /// Id of the `compliance-events-value` schema the broker's own events are written with.
    let complianceEventsSchemaID = NIOLockedValueBox<Int32>(0)
    private let offsetsLog: ConsumerOffsetsLog
    /// Serialises topic creation, deletion and partition changes against each other.
    private let adminLock = NIOLock()

    static let consumerOffsetsTopic = "__consumer_offsets"

    init(configuration: BrokerConfiguration, logger: Logger) throws {
        self.configuration = configuration
        self.logger = logger
        try FileManager.default.createDirectory(atPath: configuration.dataDirectory, withIntermediateDirectories: true)
        topics = try TopicStore(dataDirectory: configuration.dataDirectory)
        logs = try LogManager(dataDirectory: configuration.dataDirectory, logger: logger)
        flusher = LogFlusher(logger: logger)
        producerIDs = try ProducerIDAllocator(dataDirectory: configuration.dataDirectory)
        cleaner = LogCleaner(logManager: logs, logger: logger)
        auditor = try Self.openAuditor(configuration: configuration, topics: topics, logs: logs, logger: logger)
        schemasLog = try Self.openSchemasLog(topics: topics, logs: logs, flusher: flusher)
        schemaStore = SchemaStore(log: schemasLog, logger: logger)
        var trail = ComplianceTrail(topics: topics, logs: logs, flusher: flusher, auditor: auditor, logger: logger)
        let schemaID = complianceEventsSchemaID
        trail.schemaID = { schemaID.withLockedValue { $0 } }
        self.trail = trail
        security = try BrokerSecurity(configuration: configuration.security, dataDirectory: configuration.dataDirectory, trail: trail, logger: logger)
        let offsetsLog = try Self.openConsumerOffsets(topics: topics, logs: logs, flusher: flusher)
        groups = GroupCoordinator(
            configuration: GroupConfiguration(initialRebalanceDelayMs: configuration.initialRebalanceDelayMs),
            offsetLog: offsetsLog)
        self.offsetsLog = offsetsLog
    }

    /// Loads committed offsets from `__consumer_offsets`; run before the listener opens.
    func restoreCommittedOffsets() async throws {
        let logger = self.logger
        let entries = try offsetsLog.readAll { logger.warning("skipping unreadable committed offset: \($0)") }
        await groups.restore(from: entries)
        logger.info("restored committed offsets", metadata: ["entries": "\(entries.count)"])
    }

    private static func openAuditor(configuration: BrokerConfiguration, topics: TopicStore, logs: LogManager, logger: Logger) throws -> BrokerAuditor {
        if topics[BrokerAuditor.topic] == nil {
            // Never compacted, never deleted: the chain must outlive every record it covers.
            let metadata = TopicMetadata(
                name: BrokerAuditor.topic, topicID: KafkaUUID.random().description, partitionCount: 1,
                configs: ["cleanup.policy": "delete", "retention.ms": "-1", "retention.bytes": "-1"], isInternal: true)
            try logs.createLog(topic: BrokerAuditor.topic, partition: 0, config: try TopicConfigs.logConfig(metadata.configs))
            try topics.put(metadata)
        }
        guard let log = logs.log(topic: BrokerAuditor.topic, partition: 0) else {
            throw TopicAdminError(.kafkaStorageError, "the \(BrokerAuditor.topic) log is missing")
        }
        let keyPath = configuration.signingKeyPath
            ?? (configuration.dataDirectory as NSString).appendingPathComponent("audit-signing.key")
        let key = try SigningKey.loadOrCreate(at: keyPath)
        logger.notice("audit checkpoints signed", metadata: ["key": "\(keyPath)", "publicKey": "\(keyPath).pub", "fingerprint": "\(key.fingerprint)"])
        let settings = BrokerAuditor.Settings(
            checkpointEveryRecords: configuration.auditCheckpointRecords,
            checkpointIntervalMs: configuration.auditCheckpointIntervalMs)
        return BrokerAuditor(signingKey: key, auditLog: log, settings: settings, logger: logger)
    }

    /// `GET /metrics`: counters plus a gauge per partition.
    func prometheusText() -> String {
        metrics.prometheusText(partitions: logs.allLogs.map {
            (topic: $0.topic, partition: $0.partition, logStart: $0.logStartOffset, logEnd: $0.logEndOffset, bytes: $0.sizeInBytes)
        })
    }

    /// Whether records appended to `topic` are chained into the audit log.
    func isAudited(_ topic: String) -> Bool {
        topics[topic].map { TopicPolicyGuard.isAudited($0.configs) } ?? false
    }

    /// Picks up every audited partition's chain where the last run left it.
    func resumeAuditChains() throws {
        let audited = topics.all.filter { TopicPolicyGuard.isAudited($0.configs) }.flatMap { topic in
            (0..<topic.partitionCount).compactMap { logs.log(topic: topic.name, partition: $0) }
        }
        try auditor.resume(auditedLogs: audited)
    }

    private static func openConsumerOffsets(topics: TopicStore, logs: LogManager, flusher: LogFlusher) throws -> ConsumerOffsetsLog {
        if topics[consumerOffsetsTopic] == nil {
            let metadata = TopicMetadata(
                name: consumerOffsetsTopic, topicID: KafkaUUID.random().description, partitionCount: 1,
                configs: ["cleanup.policy": "compact"], isInternal: true)
            try logs.createLog(topic: consumerOffsetsTopic, partition: 0, config: try TopicConfigs.logConfig(metadata.configs))
            try topics.put(metadata)
        }
        guard let log = logs.log(topic: consumerOffsetsTopic, partition: 0) else {
            throw TopicAdminError(.kafkaStorageError, "the \(consumerOffsetsTopic) log is missing")
        }
        return ConsumerOffsetsLog(log: log, flusher: flusher)
    }

    /// Runs the group coordinator's deadline timer until the returned task is cancelled.
    func startGroupTicker() -> Task<Void, Never> {
        let groups = self.groups
        return Task { await groups.run() }
    }

    var advertisedHost: String {
        if let host = configuration.advertisedHost { return host }
        return configuration.host == "0.0.0.0" || configuration.host == "::" ? "127.0.0.1" : configuration.host
    }

    /// The port the Kafka listener bound (differs from the configured one when that is 0).
    let boundPort = NIOLockedValueBox<Int?>(nil)

    var advertisedPort: Int32 {
        Int32(configuration.advertisedPort ?? boundPort.withLockedValue { $0 } ?? configuration.port)
    }

    func partitionLog(topic: String, partition: Int32) -> PartitionLog? {
        logs.log(topic: topic, partition: partition)
    }

    /// Creates a topic with its partition logs; fails with a Kafka error when it exists or is invalid.
    @discardableResult
    func createTopic(name: String, partitions: Int32, configs: [String: String], isInternal: Bool = false) throws(TopicAdminError) -> TopicMetadata {
        if let problem = TopicMetadata.validateName(name) { throw TopicAdminError(.invalidTopicException, problem) }
        guard partitions >= 1 else { throw TopicAdminError(.invalidPartitions, "number of partitions must be at least 1") }
        guard partitions <= 10_000 else { throw TopicAdminError(.invalidPartitions, "at most 10000 partitions per topic") }
        if let problem = TopicConfigs.validate(configs) { throw TopicAdminError(.invalidConfig, problem) }
        adminLock.lock()
        defer { adminLock.unlock() }
        if topics[name] != nil { throw TopicAdminError(.topicAlreadyExists, "topic '\(name)' already exists") }
        let topic = TopicMetadata(name: name, topicID: KafkaUUID.random().description, partitionCount: partitions, configs: configs, isInternal: isInternal)
        do {
            for partition in 0..<partitions {
                _ = try logs.createLog(topic: name, partition: partition, config: try TopicConfigs.logConfig(configs))
            }
            try topics.put(topic)
        } catch {
            throw TopicAdminError(.kafkaStorageError, "cannot create topic '\(name)': \(error)")
        }
        logger.info("created topic", metadata: ["topic": "\(name)", "partitions": "\(partitions)"])
        return topic
    }

    func deleteTopic(name: String) throws(TopicAdminError) {
        adminLock.lock()
        defer { adminLock.unlock() }
        guard let topic = topics[name] else { throw TopicAdminError(.unknownTopicOrPartition, "topic '\(name)' does not exist") }
        if topic.isInternal { throw TopicAdminError(.invalidTopicException, "internal topic '\(name)' cannot be deleted") }
        if TopicPolicyGuard.isImmutable(topic.configs) {
            throw TopicAdminError(.topicDeletionDisabled, "topic '\(name)' is immutable and cannot be deleted")
        }
        do {
            try topics.remove(name)
            for partition in 0..<topic.partitionCount {
                try logs.deleteLog(topic: name, partition: partition)
            }
        } catch {
            throw TopicAdminError(.kafkaStorageError, "cannot delete topic '\(name)': \(error)")
        }
        logger.info("deleted topic", metadata: ["topic": "\(name)"])
    }

    func addPartitions(name: String, totalCount: Int32) throws(TopicAdminError) {
        adminLock.lock()
        defer { adminLock.unlock() }
        guard var topic = topics[name] else { throw TopicAdminError(.unknownTopicOrPartition, "topic '\(name)' does not exist") }
        guard totalCount > topic.partitionCount else {
            throw TopicAdminError(.invalidPartitions, "topic '\(name)' has \(topic.partitionCount) partitions; the count can only grow")
        }
        guard totalCount <= 10_000 else { throw TopicAdminError(.invalidPartitions, "at most 10000 partitions per topic") }
        do {
            for partition in topic.partitionCount..<totalCount {
                _ = try logs.createLog(topic: name, partition: partition, config: try TopicConfigs.logConfig(topic.configs))
            }
            topic.partitionCount = totalCount
            try topics.put(topic)
        } catch {
            throw TopicAdminError(.kafkaStorageError, "cannot add partitions to '\(name)': \(error)")
        }
    }

    func replaceConfigs(name: String, configs: [String: String]) throws(TopicAdminError) {
        if let problem = TopicConfigs.validate(configs) { throw TopicAdminError(.invalidConfig, problem) }
        adminLock.lock()
        defer { adminLock.unlock() }
        guard var topic = topics[name] else { throw TopicAdminError(.unknownTopicOrPartition, "topic '\(name)' does not exist") }
        if let violation = TopicPolicyGuard.violation(current: topic.configs, proposed: configs) {
            throw TopicAdminError(.policyViolation, "topic '\(name)': \(violation)")
        }
        topic.configs = configs
        do {
            try topics.put(topic)
            try applyLogConfigs(topic)
        } catch {
            throw TopicAdminError(.kafkaStorageError, "cannot store configs of '\(name)': \(error)")
        }
    }

    /// Hands a topic's configs to its partition logs (retention, compaction, segment rolls).
    func applyLogConfigs(_ topic: TopicMetadata) throws {
        let config = try TopicConfigs.logConfig(topic.configs)
        for partition in 0..<topic.partitionCount {
            try logs.log(topic: topic.name, partition: partition)?.updateConfig(config)
        }
    }

    /// Writes an admin change, accepted or refused, to the compliance trail.
    func recordAdminChange(_ operation: String, topic: String, actor: String, error: TopicAdminError?) {
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let notes = error.map { "\(operation) refused: \($0)" } ?? "\(operation) accepted"
        trail.record(ComplianceEvent(
            kind: .adminChange, outcome: error == nil ? .passed : .blocked, subjectType: .topic,
            subjectID: topic, notes: notes, occurredAt: now, actor: actor))
    }

    /// Calls `body` once the log is durable up to `offset`.
    func whenDurable(_ log: PartitionLog, upTo offset: Int64, eventLoop: any EventLoop) -> EventLoopFuture<Void> {
        let promise = eventLoop.makePromise(of: Void.self)
        flusher.awaitDurable(log, upTo: offset) { error in
            if let error { promise.fail(error) } else { promise.succeed(()) }
        }
        return promise.futureResult
    }

    func close() {
        // The final checkpoint: a log cut short after a clean stop is caught by verification.
        auditor.checkpointDue(now: Int64(Date().timeIntervalSince1970 * 1000), force: true)
        cleaner.shutdown()
        flusher.shutdown()
        do {
            try logs.close()
        } catch {
            logger.error("closing the logs failed: \(error)")
        }
    }
}

/// A refused admin operation, with the Kafka error code the client receives.
struct TopicAdminError: Error, CustomStringConvertible {
    var code: KafkaErrorCode
    var message: String
    init(_ code: KafkaErrorCode, _ message: String) {
        self.code = code
        self.message = message
    }
    var description: String { "\(code.name): \(message)" }
}
