import AuditChain
import Dispatch
import Foundation
import Kafka
import NIOCore

/// The chaining loop of `eventctl audit follow`: eventd's ``PartitionChainer`` fed from a
/// consumer instead of the log, writing ``AuditRecord``s with a producer.
///
/// Crash safety: a checkpoint is written only after its audit record was acknowledged, and
/// on restart the chain resumes from the last audit record of each partition and re-reads
/// the records after the last covered offset. Records consumed but not yet checkpointed
/// when the companion died are simply chained again.
final class AuditCompanion {
    private struct Partition {
        var chainer: PartitionChainer
        /// When the oldest not-yet-checkpointed record was chained.
        var pendingSince: ContinuousClock.Instant?
    }

    private let cluster: AuditClusterOptions
    private let topics: [String]
    private let signingKey: SigningKey
    private let checkpointRecords: Int
    private let checkpointInterval: Duration
    private var partitions: [KafkaTopicPartition: Partition] = [:]
    private var producer: KafkaProducer?

    init(cluster: AuditClusterOptions, topics: [String], signingKey: SigningKey, checkpointRecords: Int, checkpointInterval: Duration) {
        self.cluster = cluster
        self.topics = topics
        self.signingKey = signingKey
        self.checkpointRecords = checkpointRecords
        self.checkpointInterval = checkpointInterval
    }

    func run(untilCaughtUp: Bool) async throws {
        let servers = cluster.bootstrapServers
        try await ensureAuditTopic()
        let starts = try await resume()
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(bootstrapServers: servers))
        self.producer = producer
        let stop = Self.stopSignal()
        let reader = try AuditPartitionReader(bootstrapServers: servers, partitions: starts)
        var caughtUp = Set<KafkaTopicPartition>()
        do {
            loop: for try await event in reader.events {
                switch event {
                case .message(let message):
                    let partition = KafkaTopicPartition(topic: message.topic, partition: message.partition)
                    try partitions[partition]!.chainer.append(LeafInput(message))
                    if partitions[partition]!.pendingSince == nil { partitions[partition]!.pendingSince = .now }
                    if partitions[partition]!.chainer.pendingCount >= checkpointRecords { try await checkpoint(partition) }
                case .caughtUp(let partition):
                    caughtUp.insert(partition)
                    if untilCaughtUp && caughtUp.count == partitions.count { break loop }
                case .tick:
                    if stop.isStopping { break loop }
                    for (partition, state) in partitions {
                        if let since = state.pendingSince, ContinuousClock.now - since >= checkpointInterval { try await checkpoint(partition) }
                    }
                }
            }
            // Like eventd at clean shutdown: a final checkpoint for every partition, so a log
            // cut short after it is caught.
            for partition in partitions.keys.sorted(by: { $0.description < $1.description }) { try await checkpoint(partition) }
        } catch {
            await reader.close()
            await producer.shutdown()
            throw error
        }
        await reader.close()
        await producer.shutdown()
    }

    /// Signs and writes the partition's checkpoint; returns once the cluster acknowledged it.
    private func checkpoint(_ partition: KafkaTopicPartition) async throws {
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let record = try partitions[partition]!.chainer.makeCheckpoint(timestampMs: now, signingKey: signingKey)
        partitions[partition]!.pendingSince = nil
        _ = try await producer!.send(
            topic: cluster.auditTopic, partition: 0, key: Array(record.key.utf8),
            value: Array(record.encodedValue.readableBytesView))
    }

    /// Creates the audit topic (one partition, kept forever) when it does not exist.
    private func ensureAuditTopic() async throws {
        let admin = try KafkaAdmin(configuration: KafkaAdminConfiguration(bootstrapServers: cluster.bootstrapServers))
        defer { Task { await admin.shutdown() } }
        let metadata = try await admin.metadata()
        if let existing = metadata.topic(cluster.auditTopic), existing.error == nil, !existing.partitions.isEmpty { return }
        try await admin.createTopic(cluster.auditTopic, partitions: 1, configs: ["cleanup.policy": "delete", "retention.ms": "-1"])
    }

    /// Rebuilds each partition's chainer from its last audit record and returns where to
    /// read each partition from: after the last covered offset, or the beginning.
    private func resume() async throws -> [(KafkaTopicPartition, KafkaOffset)] {
        var starts: [(KafkaTopicPartition, KafkaOffset)] = []
        var all: [KafkaTopicPartition] = []
        for topic in topics {
            let info = try await AuditClusterInfo.load(topic: topic, bootstrapServers: cluster.bootstrapServers)
            all += (0..<info.partitionCount).map { KafkaTopicPartition(topic: topic, partition: $0) }
        }
        let keys = Set(all.map { AuditRecord.key(topic: $0.topic, partition: $0.partition) })
        let auditLog = try await AuditWireLog.read(
            bootstrapServers: cluster.bootstrapServers, auditTopic: cluster.auditTopic, idleTimeout: cluster.idleTimeout, wanted: keys.contains)
        for partition in all {
            var last: AuditRecord?
            // A checkpoint may cover no new records (a final one), so track coverage across records.
            var lastCovered: Int64?
            for entry in auditLog.entries(topic: partition.topic, partition: partition.partition) {
                let record = try AuditRecord(decodingValue: entry.value)
                last = record
                if let offset = record.entries.last?.offset { lastCovered = offset }
            }
            if let last {
                partitions[partition] = Partition(chainer: try PartitionChainer(resumingFrom: last))
                starts.append((partition, lastCovered.map { .exact($0 + 1) } ?? .beginning))
            } else {
                partitions[partition] = Partition(chainer: PartitionChainer(topic: partition.topic, partition: partition.partition))
                starts.append((partition, .beginning))
            }
        }
        return starts
    }

    /// SIGINT/SIGTERM set a flag the loop checks on its next tick, so the final checkpoint is written.
    private static func stopSignal() -> AuditStopSignal {
        let flag = AuditStopSignal()
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number)
            source.setEventHandler { flag.stop() }
            source.resume()
            flag.retain(source)
        }
        return flag
    }
}
