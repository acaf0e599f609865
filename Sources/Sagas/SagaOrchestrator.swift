import EventSourcing
import Foundation
import Kafka
import Logging

/// Runs sagas over Kafka: persists every state change in `saga-state`, sends commands to
/// participant topics, applies their replies, fires retries and deadlines, and after a
/// restart resumes every saga that was in flight.
///
/// The order of effects is what makes crashes harmless: a transition's commands are sent
/// only after its state record is stored, and every command carries an attempt-independent
/// idempotency key. Whatever is lost in a crash — a reply, a command,
/// the last state records — resuming from the latest persisted state re-sends a command the
/// participant has either not seen or answers again from its record.
public actor SagaOrchestrator {
    public nonisolated let configuration: SagaOrchestratorConfiguration
    private let definitions: [String: SagaDefinition]
    private let observer: (any SagaObserver)?
    private let logger: Logger
    private let producer: KafkaProducer
    private var consumer: KafkaConsumer?
    private var tasks: [Task<Void, Never>] = []
    private var sagas: [String: SagaState] = [:]
    private var wakeUps: [String: Date] = [:]
    /// Per saga, the task storing its latest state change.
    private var persistChains: [String: (token: Int, task: Task<Void, Never>)] = [:]
    private var chainCounter = 0
    private var random: SplitMix64
    private let clock: @Sendable () -> Date
    /// State or command records the broker did not take (should stay 0).
    public private(set) var deliveryFailures = 0
    private var failureTask: Task<Void, Never>?

    /// - Parameters:
    ///   - random: Source of retry jitter (injectable for reproducible runs).
    ///   - clock: Wall-clock time; deadlines survive restarts, so they are wall-clock.
    public init(
        configuration: SagaOrchestratorConfiguration, definitions: [SagaDefinition], observer: (any SagaObserver)? = nil,
        random: SplitMix64 = SplitMix64(), clock: @escaping @Sendable () -> Date = Date.init,
        logger: Logger
    ) throws {
        self.configuration = configuration
        self.definitions = Dictionary(uniqueKeysWithValues: definitions.map { ($0.name, $0) })
        self.observer = observer
        self.random = random
        self.clock = clock
        self.logger = logger
        var producerConfiguration = KafkaProducerConfiguration(bootstrapServers: configuration.bootstrapServers)
        producerConfiguration.clientID = configuration.clientID
        producerConfiguration.linger = .milliseconds(2)
        producerConfiguration.additionalProperties["socket.nagle.disable"] = "true"
        producer = try KafkaProducer(configuration: producerConfiguration, logger: logger)
    }

    /// Creates missing topics, rebuilds every saga from `saga-state`, re-sends the commands
    /// of sagas in flight, and starts reading replies and firing timers.
    public func start() async throws {
        let partitionCounts = try await TopicProvisioner.ensure([
            (configuration.stateTopic, configuration.partitions, ["cleanup.policy": "compact"]),
            (configuration.replyTopic, configuration.partitions, ["cleanup.policy": "delete"]),
        ], bootstrapServers: configuration.bootstrapServers, logger: logger)
        let statePartitions = partitionCounts[0], replyPartitions = partitionCounts[1]

        var restored: [String: SagaState] = [:]
        let logger = self.logger
        try await TopicCatchUp.read(topic: configuration.stateTopic, partitions: statePartitions, bootstrapServers: configuration.bootstrapServers, producer: producer, logger: logger) { message in
            guard let value = message.value else { return }
            do {
                let record = try SagaStateRecord.decode(value)
                if let known = restored[record.state.id], known.version >= record.state.version { return }
                restored[record.state.id] = record.state
            } catch {
                logger.warning("skipping unreadable saga-state record", metadata: ["partition": "\(message.partition)", "offset": "\(message.offset)", "error": "\(error)"])
            }
        }
        sagas = restored
        var resumed = 0
        let now = clock()
        for var state in restored.values {
            guard let definition = definitions[state.definitionName] else {
                if state.status.isInFlight { logger.error("saga of unknown definition is stuck", metadata: ["saga": "\(state.id)", "definition": "\(state.definitionName)"]) }
                continue
            }
            wakeUps[state.id] = state.nextWakeUp(definition: definition)
            let transition = state.resume(definition: definition, now: now)
            if !transition.isEmpty { resumed += 1 }
            try record(state, transition, definition: definition)
        }
        logger.info("sagas restored", metadata: ["sagas": "\(restored.count)", "resumed": "\(resumed)"])

        var consumerConfiguration = KafkaConsumerConfiguration(bootstrapServers: configuration.bootstrapServers, groupID: configuration.groupID)
        consumerConfiguration.clientID = configuration.clientID
        consumerConfiguration.commitStrategy = .automatic(interval: .seconds(1))
        consumerConfiguration.offsetReset = .earliest
        consumerConfiguration.additionalProperties["socket.nagle.disable"] = "true"
        let consumer = try KafkaConsumer(configuration: consumerConfiguration, logger: logger)
        try consumer.assign((0..<replyPartitions).map { KafkaTopicPartition(topic: configuration.replyTopic, partition: $0) }, from: .committed)
        self.consumer = consumer
        tasks.append(Task { [weak self] in
            do {
                for try await message in consumer.messages {
                    guard let value = message.value, let self else { continue }
                    do {
                        await self.apply(try SagaJSON.decode(SagaReply.self, from: value))
                    } catch {
                        logger.warning("skipping unreadable reply", metadata: ["offset": "\(message.offset)", "error": "\(error)"])
                    }
                }
            } catch where !(error is CancellationError) {
                logger.error("reply consumer stopped", metadata: ["error": "\(error)"])
            } catch {}
        })
        let interval = configuration.tickInterval
        tasks.append(Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                await self?.fireTimers()
            }
        })
        let producer = self.producer
        tasks.append(Task { [weak self] in
            for await batch in producer.deliveryReports {
                let failed = batch.filter { if case .failure = $0.result { true } else { false } }
                guard !failed.isEmpty else { continue }
                logger.error("saga records not delivered", metadata: ["count": "\(failed.count)"])
                await self?.countDeliveryFailures(failed.count)
            }
        })
    }

    /// Starts a saga unless one with this id exists (so a restarted caller can safely start
    /// the same sagas again). Returns whether it was started now.
    @discardableResult
    public func begin(sagaID: String, definition name: String, input: [String: String]) throws -> Bool {
        guard sagas[sagaID] == nil else { return false }
        guard let definition = definitions[name] else { throw SagaOrchestratorError.unknownDefinition(name) }
        let (state, transition) = SagaState.start(id: sagaID, definition: definition, input: input, now: clock())
        try record(state, transition, definition: definition)
        return true
    }

    /// A person's decision on a saga awaiting review.
    public func resolveReview(sagaID: String, approved: Bool, reviewer: String) throws {
        guard var state = sagas[sagaID], let definition = definitions[state.definitionName] else { throw SagaOrchestratorError.unknownSaga(sagaID) }
        let transition = state.resolveReview(approved: approved, reviewer: reviewer, definition: definition, now: clock())
        try record(state, transition, definition: definition)
    }

    /// Every saga this orchestrator knows, by id.
    public var states: [String: SagaState] { sagas }

    /// Sagas running or compensating (the orchestrator is driving them).
    public var inFlightCount: Int { sagas.values.reduce(0) { $0 + ($1.status.isInFlight ? 1 : 0) } }

    /// How many sagas are in each status.
    public var counts: [SagaStatus: Int] {
        sagas.values.reduce(into: [:]) { $0[$1.status, default: 0] += 1 }
    }

    /// Stops reading and firing timers, and delivers what is queued.
    public func shutdown() async {
        for task in tasks { task.cancel() }
        await drain()
        await consumer?.close()
        await producer.shutdown()
        tasks = []
    }

    // MARK: - Inputs

    private func apply(_ reply: SagaReply) {
        guard var state = sagas[reply.sagaID], let definition = definitions[state.definitionName] else { return }
        let transition = state.handle(reply, definition: definition, now: clock(), random: &random)
        do {
            try record(state, transition, definition: definition)
        } catch {
            logger.error("cannot persist saga", metadata: ["saga": "\(state.id)", "error": "\(error)"])
        }
    }

    private func fireTimers() {
        let now = clock()
        let due = wakeUps.filter { $0.value <= now }.map(\.key)
        for id in due {
            guard var state = sagas[id], let definition = definitions[state.definitionName] else { continue }
            let transition = state.tick(definition: definition, now: now, random: &random)
            do {
                try record(state, transition, definition: definition)
            } catch {
                logger.error("cannot persist saga", metadata: ["saga": "\(id)", "error": "\(error)"])
            }
        }
    }

    private func countDeliveryFailures(_ count: Int) { deliveryFailures += count }

    // MARK: - Effects

    /// Persists the new state, then sends the transition's commands.
    private func record(_ state: SagaState, _ transition: SagaTransition, definition: SagaDefinition) throws {
        guard !transition.isEmpty else { return }
        sagas[state.id] = state
        wakeUps[state.id] = state.nextWakeUp(definition: definition)
        let envelope = EventEnvelope(
            eventType: transition.events.last?.name ?? "SagaChanged", aggregateID: state.id, aggregateVersion: state.version,
            correlationID: state.id, producer: configuration.clientID)
        let value = try SagaStateRecord(state: state, events: transition.events).encoded()
        let commands = transition.commands
        // Commands leave only once the state that sent them is stored: a command acted on
        // while its state record died with this process could, after a restart, be answered
        // for an older state (a refund applied while the restored saga still captures).
        // One chain per saga keeps its records in order; sagas do not wait for each other.
        let previous = persistChains[state.id]?.task
        chainCounter += 1
        let token = chainCounter
        let producer = self.producer
        let topic = configuration.stateTopic
        let task = Task {
            await previous?.value
            do {
                _ = try await producer.send(topic: topic, key: Array(state.id.utf8), value: value, headers: envelope.headers)
                for command in commands {
                    try self.send(command, version: state.version, causationID: envelope.eventID)
                }
            } catch {
                // The saga's timers resend its command once the broker takes records again.
                self.logger.error("saga state not stored", metadata: ["saga": "\(state.id)", "error": "\(error)"])
                self.countDeliveryFailures(1)
            }
            if self.persistChains[state.id]?.token == token { self.persistChains[state.id] = nil }
        }
        persistChains[state.id] = (token, task)
        observer?.sagaChanged(state, events: transition.events, definition: definition)
    }

    /// Waits until every state change so far is stored and its commands are queued.
    public func drain() async {
        while let (_, chain) = persistChains.first {
            await chain.task.value
        }
        try? await producer.flush()
    }

    private func send(_ command: SagaCommand, version: Int64, causationID: String?) throws {
        let envelope = EventEnvelope(
            eventType: command.name, aggregateID: command.sagaID, aggregateVersion: max(1, version),
            correlationID: command.sagaID, causationID: causationID, producer: configuration.clientID)
        var headers = envelope.headers
        headers.append(KafkaHeader(key: SagaHeader.idempotencyKey, value: Array(command.idempotencyKey.utf8)))
        headers.append(KafkaHeader(key: SagaHeader.replyTo, value: Array(configuration.replyTopic.utf8)))
        try produce(topic: command.participant, key: Array(command.sagaID.utf8), value: try SagaJSON.encode(command), headers: headers)
    }

    /// Enqueues without suspending, so records of one saga keep their order; waits out a
    /// full local queue instead of failing.
    private func produce(topic: String, key: [UInt8], value: [UInt8], headers: [KafkaHeader]) throws {
        while true {
            do {
                try producer.enqueue(topic: topic, key: key, value: value, headers: headers)
                return
            } catch let error as KafkaError where error.code == KafkaError.queueFull.code {
                // Rare (100,000 messages queued): block briefly rather than reorder by suspending.
                Thread.sleep(forTimeInterval: 0.005)
            }
        }
    }
}

/// Errors of ``SagaOrchestrator``'s public calls.
public enum SagaOrchestratorError: Error, Hashable, CustomStringConvertible {
    case unknownDefinition(String)
    case unknownSaga(String)

    public var description: String {
        switch self {
        case .unknownDefinition(let name): "no saga definition named '\(name)'"
        case .unknownSaga(let id): "no saga with id '\(id)'"
        }
    }
}
