import Kafka
import Logging

/// Reads what sagas and participants persisted, for status reports and invariant checks.
public enum SagaLogReader {
    /// The latest state of every saga in `topic` (default `saga-state`).
    public static func sagas(bootstrapServers: [String], topic: String = "saga-state", logger: Logger) async throws -> [SagaState] {
        var latest: [String: SagaState] = [:]
        try await read(topic: topic, bootstrapServers: bootstrapServers, logger: logger) { value in
            guard let state = try? SagaStateRecord.decode(value).state else { return }
            if let known = latest[state.id], known.version >= state.version { return }
            latest[state.id] = state
        }
        return Array(latest.values)
    }

    /// Every record of a participant's log topic, in log order per partition — repeats
    /// included, so a caller can check that no key was applied twice.
    public static func participantRecords(bootstrapServers: [String], topic: String, logger: Logger) async throws -> [ParticipantRecord] {
        var records: [ParticipantRecord] = []
        try await read(topic: topic, bootstrapServers: bootstrapServers, logger: logger) { value in
            if let record = try? SagaJSON.decode(ParticipantRecord.self, from: value) { records.append(record) }
        }
        return records
    }

    private static func read(topic: String, bootstrapServers: [String], logger: Logger, _ body: ([UInt8]) -> Void) async throws {
        let admin = try KafkaAdmin(configuration: KafkaAdminConfiguration(bootstrapServers: bootstrapServers), logger: logger)
        let metadata: KafkaClusterMetadata
        do {
            metadata = try await admin.metadata()
        } catch {
            await admin.shutdown()
            throw error
        }
        await admin.shutdown()
        guard let described = metadata.topic(topic), described.error == nil, !described.partitions.isEmpty else {
            throw KafkaError(code: 3, message: "topic \(topic) does not exist")
        }
        var configuration = KafkaProducerConfiguration(bootstrapServers: bootstrapServers)
        configuration.clientID = "saga-log-reader"
        let producer = try KafkaProducer(configuration: configuration, logger: logger)
        do {
            try await TopicCatchUp.read(topic: topic, partitions: Int32(described.partitions.count), bootstrapServers: bootstrapServers, producer: producer, logger: logger) { message in
                if let value = message.value { body(value) }
            }
        } catch {
            await producer.shutdown()
            throw error
        }
        await producer.shutdown()
    }
}
