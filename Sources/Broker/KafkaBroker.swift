import Foundation
import KafkaProtocol
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import SchemaRegistryServer
import ServiceLifecycle

/// The `eventd` broker as a service: binds the Kafka listener, serves until graceful
/// shutdown, then stops accepting, flushes and fsyncs every log.
public final class KafkaBroker: Service, Sendable {
    private let configuration: BrokerConfiguration
    private let logger: Logger
    private let eventLoopGroup: any EventLoopGroup
    let core: BrokerCore
    private let listening: EventLoopPromise<Int>
    private let connections = NIOLockedValueBox<[ObjectIdentifier: any Channel]>([:])

    /// Opens (and recovers) the data directory and creates the topics declared in the topics file.
    public init(configuration: BrokerConfiguration, logger: Logger, eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) throws {
        self.configuration = configuration
        self.logger = logger
        self.eventLoopGroup = eventLoopGroup
        // The core first: if it throws, no promise exists yet to leak (deinit does not run then).
        core = try BrokerCore(configuration: configuration, logger: logger)
        listening = eventLoopGroup.next().makePromise(of: Int.self)
        try core.bootstrapTopics()
        try core.resumeAuditChains()
    }

    deinit {
        // A broker that never ran must still complete the promise: NIO flags leaked promises.
        listening.fail(CancellationError())
    }

    public func run() async throws {
        do {
            try await serve()
        } catch {
            listening.fail(error)
            throw error
        }
    }

    /// The port the listener bound, once it listens (useful with port 0 in tests).
    public func waitUntilListening() async throws -> Int {
        try await listening.futureResult.get()
    }

    private func serve() async throws {
        try await core.restoreCommittedOffsets()
        try await core.prepareRegistry()
        try await withThrowingTaskGroup(of: Void.self) { group in
            if let host = configuration.registryHost {
                let core = self.core
                let app = makeRegistryApplication(
                    store: core.schemaStore, host: host, port: configuration.registryPort, logger: logger,
                    metrics: { core.prometheusText() })
                // A child task inherits the graceful-shutdown signal, so both listeners stop together.
                group.addTask { try await app.runService() }
            }
            group.addTask { try await self.serveKafka() }
            try await group.next()
            group.cancelAll()
        }
    }

    private func serveKafka() async throws {
        let dispatcher = RequestDispatcher(core: core)
        let maxFrameSize = configuration.maxFrameSize
        let logger = self.logger
        let connections = self.connections
        let limits = configuration.limits
        let connectionCounter = ConnectionCounter(limit: limits.maxConnections)
        let listeners = ListenerRegistry(security: core.security)
        let bootstrap = ServerBootstrap(group: eventLoopGroup)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 16)
            .childChannelOption(.recvAllocator, value: AdaptiveRecvByteBufferAllocator(minimum: 64, initial: 2048, maximum: 1 << 20))
            .childChannelInitializer { channel in
                let id = ObjectIdentifier(channel)
                connections.withLockedValue { $0[id] = channel }
                channel.closeFuture.whenComplete { _ in _ = connections.withLockedValue { $0.removeValue(forKey: id) } }
                return channel.eventLoop.makeCompletedFuture {
                    // TLS (when the listener uses it) goes first: every later handler sees plaintext.
                    let session = try listeners.prepare(channel)
                    try channel.pipeline.syncOperations.addHandler(ConnectionLimitHandler(counter: connectionCounter, logger: logger))
                    try channel.pipeline.syncOperations.addHandler(PartialFrameTimeoutHandler(timeout: .milliseconds(limits.partialFrameTimeoutMs), logger: logger))
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(KafkaFrameDecoder(maxFrameSize: maxFrameSize)))
                    try channel.pipeline.syncOperations.addHandler(InFlightLimitHandler(maxBytes: limits.maxInFlightBytes))
                    try channel.pipeline.syncOperations.addHandler(KafkaConnectionHandler(dispatcher: dispatcher, logger: logger, session: session))
                }
            }
        let channel = try await bootstrap.bind(host: configuration.host, port: configuration.port).get()
        let boundPort = channel.localAddress?.port ?? configuration.port
        listeners.registerPlaintext(port: boundPort)
        let secureChannels = try await listeners.bindSecureListeners(bootstrap, logger: logger)
        core.boundPort.withLockedValue { $0 = boundPort }
        listening.succeed(boundPort)
        logger.info("eventd listening", metadata: ["address": "\(channel.localAddress.map { "\($0)" } ?? "?")", "dataDir": "\(configuration.dataDirectory)"])
        let groupTicker = core.startGroupTicker()
        core.cleaner.start(interval: .milliseconds(configuration.logCleanerIntervalMs))
        let auditor = core.auditor
        let checkpoints = eventLoopGroup.next().scheduleRepeatedTask(
            initialDelay: .milliseconds(configuration.auditCheckpointIntervalMs),
            delay: .milliseconds(configuration.auditCheckpointIntervalMs)
        ) { _ in
            auditor.checkpointDue(now: Int64(Date().timeIntervalSince1970 * 1000))
        }
        // Stop on graceful shutdown (inside a ServiceGroup) and on plain task cancellation
        // (an embedding test or application that runs the broker in a task of its own).
        try await withTaskCancellationHandler {
            try await withGracefulShutdownHandler {
                try await channel.closeFuture.get()
            } onGracefulShutdown: {
                logger.info("shutting down: closing the listener")
                channel.close(promise: nil)
            }
        } onCancel: {
            channel.close(promise: nil)
        }
        for secure in secureChannels {
            try? await secure.close()
        }
        // Clients still connected could append after the final checkpoint: close them first.
        let open = connections.withLockedValue { Array($0.values) }
        for connection in open {
            try? await connection.close()
        }
        groupTicker.cancel()
        checkpoints.cancel()
        await core.groups.shutdown()
        core.close()
        logger.info("eventd stopped: logs flushed")
    }
}
