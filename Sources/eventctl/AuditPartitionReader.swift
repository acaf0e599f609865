import Foundation
import Kafka
import Logging

/// Reads chosen partitions over the wire, one ``KafkaConsumer`` per partition (so each can
/// start at its own offset and report its own end), merged into one stream of ``Event``s.
///
/// Used by `replay`, `prove` and `audit follow`, which all need "everything up to the end
/// of the partition as it is now" — ``readUntilCaughtUp(idleTimeout:_:)`` — and the
/// companion additionally needs regular ``Event/tick``s to write time-based checkpoints.
final class AuditPartitionReader: Sendable {
    enum Event: Sendable {
        case message(KafkaConsumerMessage)
        /// The partition's consumer reached its end (the high watermark) for now.
        case caughtUp(KafkaTopicPartition)
        /// Sent every `tickInterval`, whatever happens.
        case tick
    }

    /// Thrown by a `readUntilCaughtUp` body to stop reading early (not an error).
    struct StopReading: Error {}

    let events: AsyncThrowingStream<Event, any Error>
    private let consumers: [KafkaConsumer]
    private let tasks: [Task<Void, Never>]
    let partitions: [KafkaTopicPartition]

    /// Starts reading `partitions`, each from its own offset.
    ///
    /// Reads uncommitted records too: the audit chain covers every appended record,
    /// including those of aborted transactions.
    init(bootstrapServers: [String], partitions: [(KafkaTopicPartition, KafkaOffset)], tickInterval: Duration = .milliseconds(200)) throws {
        let (events, continuation) = AsyncThrowingStream.makeStream(of: Event.self)
        var consumers: [KafkaConsumer] = []
        var tasks: [Task<Void, Never>] = []
        for (partition, offset) in partitions {
            // librdkafka's assign() wants a group id even though assigned partitions never join
            // the group; a throwaway one with manual commits leaves no trace on the cluster.
            var configuration = KafkaConsumerConfiguration(bootstrapServers: bootstrapServers, groupID: "eventctl-audit-\(UUID().uuidString)")
            configuration.commitStrategy = .manual
            configuration.clientID = "eventctl-audit"
            configuration.readCommitted = false
            configuration.offsetReset = .earliest
            configuration.additionalProperties["enable.partition.eof"] = "true"
            let logger = Logger(label: "eventctl.kafka") { _ in
                AuditEndOfPartitionLogHandler { continuation.yield(.caughtUp(partition)) }
            }
            let consumer = try KafkaConsumer(configuration: configuration, logger: logger)
            try consumer.assign([partition], from: offset)
            consumers.append(consumer)
            tasks.append(Task {
                do {
                    for try await message in consumer.messages {
                        continuation.yield(.message(message))
                    }
                } catch {
                    continuation.finish(throwing: error)
                }
            })
        }
        tasks.append(Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: tickInterval)
                continuation.yield(.tick)
            }
        })
        self.events = events
        self.consumers = consumers
        self.tasks = tasks
        self.partitions = partitions.map(\.0)
    }

    /// Stops every consumer and the ticker.
    func close() async {
        for task in tasks { task.cancel() }
        for consumer in consumers { await consumer.close() }
    }

    /// Hands every message to `body` until every partition reported its end (or nothing
    /// arrived for `idleTimeout`, the fallback when no end is ever reported), then closes.
    ///
    /// - Returns: true when every partition reported its end, false after the idle fallback.
    @discardableResult
    func readUntilCaughtUp(idleTimeout: Duration, _ body: (KafkaConsumerMessage) async throws -> Void) async throws -> Bool {
        do {
            let caughtUp = try await read(idleTimeout: idleTimeout, body)
            await close()
            return caughtUp
        } catch is StopReading {
            await close()
            return true
        } catch {
            await close()
            throw error
        }
    }

    private func read(idleTimeout: Duration, _ body: (KafkaConsumerMessage) async throws -> Void) async throws -> Bool {
        var pending = Set(partitions)
        var lastActivity = ContinuousClock.now
        if pending.isEmpty { return true }
        for try await event in events {
            switch event {
            case .message(let message):
                lastActivity = .now
                try await body(message)
            case .caughtUp(let partition):
                lastActivity = .now
                pending.remove(partition)
                if pending.isEmpty { return true }
            case .tick:
                if ContinuousClock.now - lastActivity > idleTimeout { return false }
            }
        }
        return pending.isEmpty
    }
}
