import EventSourcing
import Foundation
import Kafka
import Logging

/// A participant service: reads commands, applies each idempotency key at most once, and
/// replies.
///
/// Before it replies, the outcome is durable in its log topic, so a repeated command (the
/// orchestrator resending after a lost reply or a restart) is answered from the record and
/// never applied twice, across restarts too. A compensation fences the action it undoes: if
/// that action arrives later (it was delayed, not lost), it is refused. Transient failures
/// are not recorded: nothing was applied, and a retry may succeed.
public actor SagaParticipant<Logic: SagaParticipantLogic> {
    public nonisolated let configuration: SagaParticipantConfiguration
    public private(set) var logic: Logic
    private var records: [String: ParticipantRecord] = [:]
    private var fenced: Set<String> = []
    private let logger: Logger
    private let producer: KafkaProducer
    private var consumer: KafkaConsumer?
    private var task: Task<Void, Never>?
    private var reportsTask: Task<Void, Never>?
    private var chains: [String: Task<Void, Never>] = [:]
    private var chainTokens: [String: Int] = [:]
    private var chainCounter = 0
    /// Set when a record could not be made durable after it was applied in memory: the
    /// participant stops answering (a restart rebuilds its state from the log).
    public private(set) var failure: String?
    private var random: SplitMix64
    /// Commands answered from the record instead of being applied again.
    public private(set) var repeatsAnswered = 0
    /// Commands that failed transiently on purpose (``SagaParticipantConfiguration/failureRate``).
    public private(set) var simulatedFailures = 0

    public init(configuration: SagaParticipantConfiguration, logic: Logic, random: SplitMix64 = SplitMix64(), logger: Logger) throws {
        self.configuration = configuration
        self.logic = logic
        self.random = random
        self.logger = logger
        var producerConfiguration = KafkaProducerConfiguration(bootstrapServers: configuration.bootstrapServers)
        producerConfiguration.clientID = configuration.commandTopic
        // Every record is awaited before the reply: batching would only add latency.
        producerConfiguration.linger = .zero
        producerConfiguration.additionalProperties["socket.nagle.disable"] = "true"
        producer = try KafkaProducer(configuration: producerConfiguration, logger: logger)
    }

    /// Every record of the log, by idempotency key.
    public var appliedRecords: [String: ParticipantRecord] { records }

    /// Rebuilds state from the log topic, then starts answering commands.
    public func start() async throws {
        let partitionCounts = try await TopicProvisioner.ensure([
            (configuration.logTopic, configuration.partitions, ["cleanup.policy": "delete", "retention.ms": "-1"]),
            (configuration.commandTopic, configuration.partitions, ["cleanup.policy": "delete"]),
            (configuration.replyTopic, configuration.partitions, ["cleanup.policy": "delete"]),
        ], bootstrapServers: configuration.bootstrapServers, logger: logger)
        let logPartitions = partitionCounts[0], commandPartitions = partitionCounts[1]

        var replayed: [ParticipantRecord] = []
        let logger = self.logger
        try await TopicCatchUp.read(topic: configuration.logTopic, partitions: logPartitions, bootstrapServers: configuration.bootstrapServers, producer: producer, logger: logger) { message in
            guard let value = message.value else { return }
            do {
                replayed.append(try SagaJSON.decode(ParticipantRecord.self, from: value))
            } catch {
                logger.warning("skipping unreadable participant record", metadata: ["offset": "\(message.offset)", "error": "\(error)"])
            }
        }
        for record in replayed where records[record.idempotencyKey] == nil { remember(record) }
        logger.info("participant restored", metadata: ["topic": "\(configuration.commandTopic)", "records": "\(records.count)"])

        var consumerConfiguration = KafkaConsumerConfiguration(bootstrapServers: configuration.bootstrapServers, groupID: "participant-\(configuration.commandTopic)")
        consumerConfiguration.clientID = configuration.commandTopic
        // The offset of a command is committed only after its handling returned, i.e. after
        // its record was durable and its reply sent.
        consumerConfiguration.commitStrategy = .automatic(interval: .seconds(1))
        consumerConfiguration.offsetReset = .earliest
        consumerConfiguration.additionalProperties["socket.nagle.disable"] = "true"
        let consumer = try KafkaConsumer(configuration: consumerConfiguration, logger: logger)
        try consumer.assign((0..<commandPartitions).map { KafkaTopicPartition(topic: configuration.commandTopic, partition: $0) }, from: .committed)
        self.consumer = consumer
        let producer = self.producer
        reportsTask = Task {
            // Replies are fire-and-forget; their reports only need draining.
            for await _ in producer.deliveryReports {}
        }
        task = Task { [weak self] in
            do {
                for try await message in consumer.messages {
                    guard let self else { return }
                    await self.dispatch(message)
                }
            } catch where !(error is CancellationError) {
                logger.error("command consumer stopped", metadata: ["error": "\(error)"])
            } catch {}
        }
    }

    public func shutdown() async {
        task?.cancel()
        await consumer?.close()
        await producer.shutdown()
        reportsTask?.cancel()
    }

    /// Commands of one saga are handled one after the other (so one key is never handled
    /// twice at once); different sagas concurrently, so one slow write does not hold up all.
    private func dispatch(_ message: KafkaConsumerMessage) {
        let saga = message.key.map { String(decoding: $0, as: UTF8.self) } ?? ""
        let previous = chains[saga]
        chainCounter += 1
        let token = chainCounter
        chains[saga] = Task {
            await previous?.value
            await self.handle(message)
            self.finished(saga, token: token)
        }
        chainTokens[saga] = token
    }

    private func finished(_ saga: String, token: Int) {
        if chainTokens[saga] == token {
            chains[saga] = nil
            chainTokens[saga] = nil
        }
    }

    private func handle(_ message: KafkaConsumerMessage) async {
        guard let value = message.value, let command = try? SagaJSON.decode(SagaCommand.self, from: value) else {
            logger.warning("skipping unreadable command", metadata: ["offset": "\(message.offset)"])
            return
        }
        let replyTopic = message.headers.last { $0.key == SagaHeader.replyTo }?.value.map { String(decoding: $0, as: UTF8.self) } ?? configuration.replyTopic
        let latency = configuration.latency
        if latency.upperBound > .zero {
            let millis = Int64.random(in: Int64(latency.lowerBound.seconds * 1000)...Int64(latency.upperBound.seconds * 1000), using: &random)
            try? await Task.sleep(for: .milliseconds(millis))
        }
        guard failure == nil else { return }
        if let recorded = records[command.idempotencyKey] {
            repeatsAnswered += 1
            await reply(SagaReply(to: command, outcome: recorded.outcome, reason: recorded.reason, data: recorded.data), topic: replyTopic)
            return
        }
        if Double.random(in: 0..<1, using: &random) < configuration.failureRate {
            simulatedFailures += 1
            await reply(SagaReply(to: command, outcome: .transientFailure, reason: "simulated failure"), topic: replyTopic)
            return
        }
        var record: ParticipantRecord
        switch command.kind {
        case .action where fenced.contains(command.idempotencyKey):
            record = ParticipantRecord(command: command, outcome: .rejected, reason: "compensated before it arrived", data: [:])
        case .action:
            let decision = logic.decide(command)
            record = ParticipantRecord(command: command, outcome: decision.outcome, reason: decision.reason, data: decision.data)
        case .compensation:
            // Undo only what was applied; either way the action's key is fenced from now on.
            let action = command.compensates.flatMap { records[$0] }
            let applied = action.map { $0.outcome == .succeeded || $0.outcome == .reviewRequired } ?? false
            if applied {
                let decision = logic.decide(command)
                record = ParticipantRecord(command: command, outcome: decision.outcome, reason: decision.reason, data: decision.data, undidAction: true)
            } else {
                record = ParticipantRecord(command: command, outcome: .succeeded, reason: "nothing to undo", data: [:], undidAction: false)
            }
        }
        if record.outcome == .transientFailure {
            await reply(SagaReply(to: command, outcome: .transientFailure, reason: record.reason), topic: replyTopic)
            return
        }
        // Applied in memory before the first suspension, so that commands of other sagas
        // handled meanwhile decide against it (two reservations cannot both take the last
        // funds); durable before the reply, so that no answer is given for what a crash forgets.
        remember(record)
        do {
            let envelope = EventEnvelope(
                eventType: command.name, aggregateID: command.sagaID, aggregateVersion: 1,
                correlationID: command.sagaID, producer: configuration.commandTopic)
            _ = try await producer.send(topic: configuration.logTopic, key: Array(command.idempotencyKey.utf8), value: try SagaJSON.encode(record), headers: envelope.headers)
        } catch {
            failure = "cannot record \(command.idempotencyKey): \(error)"
            logger.critical("participant stops: an applied command is not durable", metadata: ["key": "\(command.idempotencyKey)", "error": "\(error)"])
            task?.cancel()
            return
        }
        guard failure == nil else { return }
        if Double.random(in: 0..<1, using: &random) < configuration.dropReplyRate { return }
        await reply(SagaReply(to: command, outcome: record.outcome, reason: record.reason, data: record.data), topic: replyTopic)
    }

    private func remember(_ record: ParticipantRecord) {
        records[record.idempotencyKey] = record
        if let action = record.command.compensates { fenced.insert(action) }
        logic.apply(record)
    }

    private func reply(_ reply: SagaReply, topic: String) async {
        do {
            try producer.enqueue(topic: topic, key: Array(reply.sagaID.utf8), value: try SagaJSON.encode(reply))
        } catch {
            // The orchestrator times the attempt out and asks again.
            logger.warning("reply not sent", metadata: ["saga": "\(reply.sagaID)", "error": "\(error)"])
        }
    }
}
