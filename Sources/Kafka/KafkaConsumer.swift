import CRdKafka
import Foundation
import Logging

/// Reads messages from Kafka through librdkafka, as an `AsyncSequence`.
///
/// Join a consumer group with ``subscribe(topics:)`` (partitions are balanced across the
/// group's members; watch ``rebalanceEvents``), or read chosen partitions with
/// ``assign(_:from:)``. Then iterate ``messages`` from one task:
///
/// ```swift
/// var configuration = KafkaConsumerConfiguration(bootstrapServers: ["127.0.0.1:9092"], groupID: "ledger")
/// let consumer = try KafkaConsumer(configuration: configuration)
/// try consumer.subscribe(topics: ["payments"])
/// for try await message in consumer.messages {
///     try await apply(message)   // with automatic commit, the offset is stored once the next message is requested
/// }
/// ```
///
/// The sequence is pulled: librdkafka is polled only while `next()` waits, so a slow loop
/// body slows fetching down instead of filling memory. Call ``close()`` to leave the group
/// (committing under automatic commit); afterwards the sequence ends and every method throws
/// ``KafkaError/shutdown``.
public final class KafkaConsumer: Sendable {
    let client: RdKafkaClient
    private let pump: ConsumerPump
    private let poller: PollingThread
    private let automaticCommit: Bool
    /// The message the iteration returned last; its offset is stored (for automatic commit)
    /// when the iteration asks for the next one, i.e. after the loop body finished with it.
    private let lastDelivered = Locked<KafkaConsumerMessage?>(nil)
    private let logger: Logger

    /// Partition assignments and revocations of the group, as they happen. Buffers the
    /// newest 100 events when nobody reads them.
    public let rebalanceEvents: AsyncStream<KafkaRebalanceEvent>

    /// Creates the consumer. Nothing is read until ``subscribe(topics:)`` or ``assign(_:from:)``.
    /// - Throws: ``KafkaError`` when a property is invalid.
    public init(configuration: KafkaConsumerConfiguration, logger: Logger = Logger(label: "Kafka.consumer")) throws {
        let (events, eventsContinuation) = AsyncStream.makeStream(of: KafkaRebalanceEvent.self, bufferingPolicy: .bufferingNewest(100))
        let pump = ConsumerPump()
        let callbacks = RdKafkaCallbacks(logger: logger, rebalance: { rk, err, partitions in
            let event = Self.rebalance(rk, err, partitions)
            if case .revoked(let revoked) = event {
                pump.dropBuffered(where: revoked.contains)
            }
            eventsContinuation.yield(event)
        })
        var properties = configuration.properties
        if configuration.groupID == nil {
            // librdkafka's assign() needs a group handle even when nothing is committed; a
            // private group id that never joins (assign does not subscribe) provides it.
            properties["group.id"] = "compliancelog-assign-\(UUID().uuidString)"
            properties["enable.auto.commit"] = "false"
        }
        let client = try RdKafkaClient(type: RD_KAFKA_CONSUMER, properties: properties, callbacks: callbacks)
        // Serve logs, errors and rebalances from the consumer queue, i.e. our polling thread.
        _ = try client.withHandle { rd_kafka_poll_set_consumer($0) }
        self.client = client
        self.pump = pump
        self.logger = logger
        automaticCommit = configuration.groupID != nil && configuration.commitStrategy != .manual
        rebalanceEvents = events
        poller = PollingThread(
            name: "kafka-consumer-poll",
            iteration: {
                guard pump.waitForDemand() else { return }
                Self.pollOnce(client.pollingHandle, into: pump, logger: logger)
            },
            finally: {
                // Leave the group (committing stored offsets) from the thread that polled.
                let err = rd_kafka_consumer_close(client.pollingHandle)
                // _UNKNOWN_GROUP only says there was no group to leave (assign without group.id).
                if let error = KafkaError(err), err != RD_KAFKA_RESP_ERR__UNKNOWN_GROUP { logger.warning("consumer close", metadata: ["error": "\(error)"]) }
                eventsContinuation.finish()
            }
        )
    }

    deinit {
        closeNow()
    }

    /// The messages of the subscribed or assigned partitions, in order per partition.
    /// Iterate from one task at a time. The sequence ends when the consumer is closed and
    /// throws a ``KafkaError`` on fatal consumer errors.
    public var messages: KafkaConsumerMessages {
        KafkaConsumerMessages(consumer: self)
    }

    /// Joins the configured group and consumes `topics`; partitions arrive through rebalances.
    /// - Throws: ``KafkaError`` (for example without a `groupID`), ``KafkaError/shutdown`` after close.
    public func subscribe(topics: [String]) throws {
        try client.withHandle { rk in
            let list = TopicPartitionList.make(topics.map { (KafkaTopicPartition(topic: $0, partition: -1), nil) })
            defer { rd_kafka_topic_partition_list_destroy(list) }
            try KafkaError.check(rd_kafka_subscribe(rk, list), "subscribe")
        }
    }

    /// Reads exactly these partitions, without group balancing, starting at `offset`.
    public func assign(_ partitions: [KafkaTopicPartition], from offset: KafkaOffset = .committed) throws {
        try client.withHandle { rk in
            let list = TopicPartitionList.make(partitions.map { ($0, offset.rawValue) })
            defer { rd_kafka_topic_partition_list_destroy(list) }
            try KafkaError.check(rd_kafka_assign(rk, list), "assign")
        }
    }

    /// Commits `message` as processed: the group resumes after it. Waits for the broker.
    public func commit(_ message: KafkaConsumerMessage) async throws {
        try await commit(topic: message.topic, partition: message.partition, offset: message.offset + 1)
    }

    /// Commits `offset` for a partition: the offset of the next message to read (Kafka's
    /// convention, one past the last processed message). Waits for the broker.
    /// - Throws: ``KafkaError`` when the commit failed, ``KafkaError/shutdown`` after close.
    public func commit(topic: String, partition: Int32, offset: Int64) async throws {
        let client = self.client
        try await offload {
            try client.withHandle { rk in
                let list = TopicPartitionList.make([(KafkaTopicPartition(topic: topic, partition: partition), offset)])
                defer { rd_kafka_topic_partition_list_destroy(list) }
                try KafkaError.check(rd_kafka_commit(rk, list, 0), "commit")
                if let error = TopicPartitionList.firstError(in: list) { throw error }
            }
        }
    }

    /// The group's committed offset of a partition (the next offset to read), or `nil` when
    /// none is committed.
    public func committedOffset(topic: String, partition: Int32, timeout: Duration = .seconds(10)) async throws -> Int64? {
        let client = self.client
        return try await offload {
            try client.withHandle { rk -> Int64? in
                let list = TopicPartitionList.make([(KafkaTopicPartition(topic: topic, partition: partition), nil)])
                defer { rd_kafka_topic_partition_list_destroy(list) }
                try KafkaError.check(rd_kafka_committed(rk, list, Int32(clamping: timeout.milliseconds)), "committed")
                if let error = TopicPartitionList.firstError(in: list) { throw error }
                let offset = list.pointee.elems[0].offset
                return offset >= 0 ? offset : nil
            }
        }
    }

    /// Moves an assigned partition to `offset`; the next messages of that partition start there.
    public func seek(topic: String, partition: Int32, to offset: KafkaOffset, timeout: Duration = .seconds(10)) async throws {
        let client = self.client
        let target = KafkaTopicPartition(topic: topic, partition: partition)
        pump.dropBuffered { $0 == target }
        try await offload {
            try client.withHandle { rk in
                let list = TopicPartitionList.make([(target, offset.rawValue)])
                defer { rd_kafka_topic_partition_list_destroy(list) }
                if let error = rd_kafka_seek_partitions(rk, list, Int32(clamping: timeout.milliseconds)) {
                    throw KafkaError(consuming: error)
                }
                if let error = TopicPartitionList.firstError(in: list) { throw error }
            }
        }
        // A message fetched while the seek was under way belongs to the old position.
        pump.dropBuffered { $0 == target }
        lastDelivered.withLock { last in
            if let message = last, message.topic == topic, message.partition == partition { last = nil }
        }
    }

    /// Stops fetching from these partitions until ``resume(_:)``; the group keeps them.
    public func pause(_ partitions: [KafkaTopicPartition]) throws {
        try client.withHandle { rk in
            let list = TopicPartitionList.make(partitions.map { ($0, nil) })
            defer { rd_kafka_topic_partition_list_destroy(list) }
            try KafkaError.check(rd_kafka_pause_partitions(rk, list), "pause")
            if let error = TopicPartitionList.firstError(in: list) { throw error }
        }
        pump.dropBuffered(where: partitions.contains)
    }

    /// Fetches again from partitions paused with ``pause(_:)``.
    public func resume(_ partitions: [KafkaTopicPartition]) throws {
        try client.withHandle { rk in
            let list = TopicPartitionList.make(partitions.map { ($0, nil) })
            defer { rd_kafka_topic_partition_list_destroy(list) }
            try KafkaError.check(rd_kafka_resume_partitions(rk, list), "resume")
            if let error = TopicPartitionList.firstError(in: list) { throw error }
        }
    }

    /// Leaves the group (committing stored offsets under automatic commit), ends
    /// ``messages`` and releases the client. Calling it again does nothing.
    public func close() async {
        _ = try? await offload { [self] in closeNow() }
    }

    private func closeNow() {
        let poller = self.poller
        let pump = self.pump
        client.close { _ in
            poller.stop(wakeUp: pump.stop)
        }
        pump.stop()
    }

    /// The iteration's `next()`: first marks the previous message as processed.
    func nextMessage() async throws -> KafkaConsumerMessage? {
        if automaticCommit, let previous = lastDelivered.withLock({ last in defer { last = nil }; return last }) {
            storeOffset(after: previous)
        }
        let message = try await pump.next()
        if let message { lastDelivered.withLock { $0 = message } }
        return message
    }

    private func storeOffset(after message: KafkaConsumerMessage) {
        try? client.withHandle { rk in
            let list = TopicPartitionList.make([(KafkaTopicPartition(topic: message.topic, partition: message.partition), message.offset + 1)])
            defer { rd_kafka_topic_partition_list_destroy(list) }
            // Fails harmlessly when the partition was revoked meanwhile; its new owner re-reads it.
            _ = rd_kafka_offsets_store(rk, list)
        }
    }
}

extension KafkaConsumer {
    /// One `rd_kafka_consumer_poll` on the polling thread.
    static func pollOnce(_ rk: OpaquePointer, into pump: ConsumerPump, logger: Logger) {
        guard let message = rd_kafka_consumer_poll(rk, 100) else { return }
        defer { rd_kafka_message_destroy(message) }
        let err = message.pointee.err
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
            if err == RD_KAFKA_RESP_ERR__FATAL {
                var reason = [CChar](repeating: 0, count: 512)
                let underlying = rd_kafka_fatal_error(rk, &reason, reason.count)
                pump.deliver(.failure(KafkaError(code: underlying.rawValue, message: String(nulTerminated: reason), isRetriable: false, isFatal: true)))
            } else {
                // Consumer errors other than fatal ones are informational: librdkafka keeps
                // retrying (for example a topic that does not exist yet).
                logger.warning("consumer error", metadata: ["error": "\(KafkaError(code: err.rawValue))"])
            }
            return
        }
        pump.deliver(.success(KafkaConsumerMessage(copying: message)))
    }

    /// Applies a group rebalance (librdkafka leaves that to the application once a
    /// rebalance callback is set) and describes it.
    static func rebalance(_ rk: OpaquePointer, _ err: rd_kafka_resp_err_t, _ partitions: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>) -> KafkaRebalanceEvent {
        let cooperative = rd_kafka_rebalance_protocol(rk).map { String(cString: $0) } == "COOPERATIVE"
        let topicPartitions = TopicPartitionList.partitions(of: partitions)
        switch err {
        case RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS:
            if cooperative {
                if let error = rd_kafka_incremental_assign(rk, partitions) { rd_kafka_error_destroy(error) }
            } else {
                rd_kafka_assign(rk, partitions)
            }
            return .assigned(topicPartitions)
        case RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS:
            if cooperative {
                if let error = rd_kafka_incremental_unassign(rk, partitions) { rd_kafka_error_destroy(error) }
            } else {
                rd_kafka_assign(rk, nil)
            }
            return .revoked(topicPartitions)
        default:
            rd_kafka_assign(rk, nil)
            return .failed(KafkaError(code: err.rawValue))
        }
    }
}
