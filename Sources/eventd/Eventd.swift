import ArgumentParser
import Broker
import Foundation
import Logging
import ServiceLifecycle

/// `eventd` — the ComplianceLog broker. Flags and defaults are a contract (DESIGN.md).
@main
struct Eventd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eventd",
        abstract: "A Kafka-compatible compliance log broker.")

    @Option(help: "Kafka listener address, HOST:PORT.")
    var listen: String = "127.0.0.1:9092"

    @Option(help: "Directory holding the partition logs and broker metadata.")
    var dataDir: String = "./data"

    @Option(help: "topics.yaml whose topics are created at start (default: ./topics.yaml when it exists).")
    var topics: String?

    @Option(help: "Schema Registry REST listener address, HOST:PORT.")
    var registryListen: String = "127.0.0.1:8081"

    @Option(help: "Ed25519 signing key for audit checkpoints (created with mode 0600 when absent; default DATA-DIR/audit-signing.key).")
    var signingKey: String?

    @Option(help: "Host:port advertised to clients in Metadata (default: the listen address).")
    var advertisedListener: String?

    @Option(help: "Largest request frame accepted, in bytes.")
    var maxFrameBytes: Int = 100 * 1024 * 1024

    @Option(help: "Most client connections open at once; more are closed when accepted.")
    var maxConnections: Int = ConnectionLimits().maxConnections

    @Option(help: "Stop reading from a connection while its unanswered requests add up to this many bytes.")
    var maxInflightBytes: Int = ConnectionLimits().maxInFlightBytes

    @Option(help: "Close a connection whose request frame is still incomplete after this many ms.")
    var partialFrameTimeoutMs: Int64 = ConnectionLimits().partialFrameTimeoutMs

    @Option(help: "Milliseconds between log cleaner passes (retention and compaction).")
    var logCleanerIntervalMs: Int64 = 30_000

    @Option(help: "Write an audit checkpoint after this many records of a partition (at most 20000, so that one __audit record stays under 1 MiB).")
    var auditCheckpointRecords: Int = 10_000

    @Option(help: "Write audit checkpoints of partitions with new records this often (ms).")
    var auditCheckpointIntervalMs: Int64 = 1_000

    @OptionGroup(title: "Security")
    var security: SecurityOptions

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "info"

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "eventd")
        let (host, port) = try Self.hostPort(listen, flag: "--listen")
        var configuration = BrokerConfiguration(host: host, port: port, dataDirectory: dataDir, maxFrameSize: maxFrameBytes)
        let (registryHost, registryPort) = try Self.hostPort(registryListen, flag: "--registry-listen")
        configuration.registryHost = registryHost
        configuration.registryPort = registryPort
        configuration.logCleanerIntervalMs = max(logCleanerIntervalMs, 10)
        configuration.limits = ConnectionLimits(
            maxConnections: max(maxConnections, 1), maxInFlightBytes: max(maxInflightBytes, 1),
            partialFrameTimeoutMs: max(partialFrameTimeoutMs, 1))
        configuration.signingKeyPath = signingKey
        configuration.security = try security.configuration()
        configuration.auditCheckpointRecords = max(auditCheckpointRecords, 1)
        configuration.auditCheckpointIntervalMs = max(auditCheckpointIntervalMs, 10)
        if let advertisedListener {
            let (advertisedHost, advertisedPort) = try Self.hostPort(advertisedListener, flag: "--advertised-listener")
            configuration.advertisedHost = advertisedHost
            configuration.advertisedPort = advertisedPort
        }
        if let topics {
            guard FileManager.default.fileExists(atPath: topics) else {
                throw ValidationError("--topics: \(topics) does not exist")
            }
            configuration.topicsFile = topics
        } else if FileManager.default.fileExists(atPath: "./topics.yaml") {
            configuration.topicsFile = "./topics.yaml"
        }
        let broker: KafkaBroker
        do {
            broker = try KafkaBroker(configuration: configuration, logger: logger)
        } catch {
            logger.critical("cannot start: \(error)")
            throw ExitCode(1)
        }
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: broker)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        try await group.run()
    }

    static func hostPort(_ value: String, flag: String) throws -> (String, Int) {
        guard let colon = value.lastIndex(of: ":"), let port = Int(value[value.index(after: colon)...]), (0...65535).contains(port) else {
            throw ValidationError("\(flag): expected HOST:PORT, got '\(value)'")
        }
        var host = String(value[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (host.isEmpty ? "0.0.0.0" : host, port)
    }
}
