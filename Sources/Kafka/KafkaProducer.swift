import CRdKafka
import Foundation
import Logging

/// Produces messages to Kafka through librdkafka.
///
/// Two ways to produce:
/// - ``send(topic:partition:key:value:headers:timestamp:)`` suspends until the broker
///   acknowledged the message and returns where it was stored. When librdkafka's in-memory
///   queue is full it waits for room (backpressure) instead of failing.
/// - ``enqueue(topic:partition:key:value:headers:timestamp:)`` never suspends, for high
///   throughput; results arrive in batches through ``deliveryReports``.
///
/// A dedicated thread serves librdkafka's delivery reports as soon as they arrive, so the
/// time from `send` to its report is the broker round trip (plus `linger`). Call
/// ``shutdown(flushTimeout:)`` when done: it delivers what is queued, then releases the client.
/// After shutdown every method throws ``KafkaError/shutdown``.
///
/// ```swift
/// let producer = try KafkaProducer(configuration: .init(bootstrapServers: ["127.0.0.1:9092"]))
/// let report = try await producer.send(topic: "payments", key: Array("p-1".utf8), value: Array(json.utf8))
/// await producer.shutdown()
/// ```
public final class KafkaProducer: Sendable {
    let client: RdKafkaClient
    let tracker: DeliveryTracker
    private let poller: PollingThread
    /// Where ``deliveryReports`` was handed out, to refuse a second iteration politely.
    private let logger: Logger

    /// Creates the producer and connects in the background.
    /// - Throws: ``KafkaError`` when a property is invalid.
    public init(configuration: KafkaProducerConfiguration, logger: Logger = Logger(label: "Kafka.producer")) throws {
        let tracker = DeliveryTracker(enqueueLimit: configuration.maxQueuedMessages)
        let callbacks = RdKafkaCallbacks(logger: logger, delivery: { message in
            tracker.deliver(Self.messageID(of: message), Self.result(of: message))
        })
        var properties = configuration.properties
        if configuration.bootstrapServers.isEmpty { properties["bootstrap.servers"] = nil }
        let client = try RdKafkaClient(type: RD_KAFKA_PRODUCER, properties: properties, callbacks: callbacks)
        self.client = client
        self.tracker = tracker
        self.logger = logger
        poller = PollingThread(name: "kafka-producer-poll", iteration: {
            // Blocks until a delivery report (or other event) arrives; the timeout only
            // bounds how long a stop request may wait.
            rd_kafka_poll(client.pollingHandle, 100)
            tracker.releaseRoom()
        })
    }

    deinit {
        closeNow()
    }

    /// Produces one message and waits until the broker acknowledged it.
    ///
    /// When librdkafka's queue is full (`maxQueuedMessages` / `maxQueuedKilobytes`), this waits
    /// until a delivery frees room, so memory stays bounded however fast callers send.
    ///
    /// - Parameters:
    ///   - topic: The topic to write to.
    ///   - partition: A fixed partition, or `nil` to let the partitioner pick one from the key.
    ///   - key: The key; `nil` is a null key.
    ///   - value: The value; `nil` is a null value (a tombstone on compacted topics).
    ///   - headers: Record headers.
    ///   - timestamp: The create time; `nil` means now.
    /// - Returns: Where the message was stored.
    /// - Throws: ``KafkaError`` when delivery failed (for example UNKNOWN_TOPIC_OR_PARTITION
    ///   or `_MSG_TIMED_OUT`), ``KafkaError/shutdown`` after shutdown, `CancellationError`
    ///   when the task is cancelled while waiting for room (the message was then not produced).
    public func send(
        topic: String,
        partition: Int32? = nil,
        key: [UInt8]? = nil,
        value: [UInt8]?,
        headers: [KafkaHeader] = [],
        timestamp: Date? = nil
    ) async throws -> DeliveryReport {
        let id = try tracker.reserveID()
        while true {
            let generation = tracker.currentRoomGeneration
            let report: DeliveryReport? = try await withCheckedThrowingContinuation { continuation in
                do {
                    try tracker.register(id, .send(continuation))
                } catch {
                    continuation.resume(throwing: error)
                    return
                }
                let refusal = produce(id: id, topic: topic, partition: partition, key: key, value: value, headers: headers, timestamp: timestamp)
                guard let refusal else {
                    tracker.accepted()
                    return
                }
                // No report will come: take the continuation back (unless shutdown already did).
                guard case .send(let continuation)? = tracker.unregister(id) else { return }
                if refusal.code == RD_KAFKA_RESP_ERR__QUEUE_FULL.rawValue {
                    continuation.resume(returning: nil)
                } else {
                    continuation.resume(throwing: refusal)
                }
            }
            if let report { return report }
            // The queue is full: wait until a delivery frees room, then try again.
            try await tracker.waitForRoom(after: generation, id: id)
        }
    }

    /// Hands one message to librdkafka without waiting; its result arrives in a batch of
    /// ``deliveryReports``.
    ///
    /// Enqueued messages count against `maxQueuedMessages` until their report was read from
    /// ``deliveryReports``, so a caller that never reads reports is eventually refused.
    ///
    /// - Returns: The message's identifier, repeated in its ``KafkaDeliveryResult``.
    /// - Throws: ``KafkaError/queueFull`` (retriable) when there is no room,
    ///   ``KafkaError/shutdown`` after shutdown, or another ``KafkaError`` librdkafka refused it with.
    @discardableResult
    public func enqueue(
        topic: String,
        partition: Int32? = nil,
        key: [UInt8]? = nil,
        value: [UInt8]?,
        headers: [KafkaHeader] = [],
        timestamp: Date? = nil
    ) throws -> UInt64 {
        let id = try tracker.reserveID()
        try tracker.register(id, .enqueued)
        if let refusal = produce(id: id, topic: topic, partition: partition, key: key, value: value, headers: headers, timestamp: timestamp) {
            _ = tracker.unregister(id)
            throw refusal
        }
        tracker.accepted()
        return id
    }

    /// Batches of results of messages produced with ``enqueue(topic:partition:key:value:headers:timestamp:)``.
    /// Each element holds every report that arrived since the previous one. Iterate it from
    /// one task; the sequence ends after ``shutdown(flushTimeout:)``.
    public var deliveryReports: KafkaDeliveryReports {
        KafkaDeliveryReports(tracker: tracker)
    }

    /// Waits until every queued message was delivered (or failed).
    /// - Throws: ``KafkaError/timedOut`` when messages remain after `timeout`;
    ///   ``KafkaError/shutdown`` after shutdown.
    public func flush(timeout: Duration = .seconds(30)) async throws {
        let client = self.client
        let tracker = self.tracker
        try await offload {
            let err = try client.withHandle { rk in rd_kafka_flush(rk, Int32(clamping: timeout.milliseconds)) }
            // rd_kafka_flush served reports on this thread; their room is free now.
            tracker.releaseRoom()
            try KafkaError.check(err, "flush")
        }
    }

    /// Delivers what is queued (waiting at most `flushTimeout`), then releases the client.
    ///
    /// Senders still waiting for room fail with ``KafkaError/shutdown``; messages not delivered
    /// within `flushTimeout` are purged and their senders fail with a `_PURGE_*` or
    /// ``KafkaError/shutdown`` error. Calling it again does nothing.
    public func shutdown(flushTimeout: Duration = .seconds(30)) async {
        tracker.beginShutdown()
        do {
            try await flush(timeout: flushTimeout)
        } catch {
            logger.warning("producer shutdown: flush incomplete", metadata: ["error": "\(error)"])
        }
        _ = try? await offload { [self] in closeNow() }
    }

    /// Stops polling and destroys the handle; every report that did not come fails.
    private func closeNow() {
        tracker.beginShutdown()
        let poller = self.poller
        client.close { rk in
            poller.stop { rd_kafka_yield(rk) }
            // Whatever is still queued is reported now (with a purge error) rather than lost.
            rd_kafka_purge(rk, 0x1 | 0x2)  // RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT
            rd_kafka_poll(rk, 0)
        }
        tracker.finish()
    }
}

extension KafkaProducer {
    static func messageID(of message: UnsafePointer<rd_kafka_message_t>) -> UInt64 {
        UInt64(UInt(bitPattern: message.pointee._private))
    }

    static func result(of message: UnsafePointer<rd_kafka_message_t>) -> Result<DeliveryReport, KafkaError> {
        if let error = KafkaError(message.pointee.err) { return .failure(error) }
        var timestampType = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        let milliseconds = rd_kafka_message_timestamp(message, &timestampType)
        return .success(DeliveryReport(
            topic: String(cString: rd_kafka_topic_name(message.pointee.rkt)),
            partition: message.pointee.partition,
            offset: message.pointee.offset,
            timestamp: timestampType == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE ? nil : Date(timeIntervalSince1970: Double(milliseconds) / 1000)
        ))
    }
}
