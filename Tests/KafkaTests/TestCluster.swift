import Broker
import Foundation
import Logging
import Testing
@testable import Kafka

/// The two clusters every client test runs against.
enum ClusterKind: String, CaseIterable, CustomTestStringConvertible, Sendable {
    /// The in-process `eventd` broker.
    case eventd
    /// librdkafka's built-in mock cluster with three brokers, standing in for a multi-broker
    /// Apache Kafka cluster.
    case mock

    var testDescription: String { rawValue }
}

/// A running cluster for one test: its bootstrap servers and a way to create topics.
final class TestCluster: Sendable {
    let kind: ClusterKind
    let bootstrapServers: [String]
    /// The admin client of the cluster. For the mock cluster it also owns the cluster.
    let admin: KafkaAdmin
    private let brokerTask: Task<Void, any Error>?
    private let dataDirectory: String?
    private let mockCluster: MockCluster?

    private init(kind: ClusterKind, bootstrapServers: [String], admin: KafkaAdmin, brokerTask: Task<Void, any Error>?, dataDirectory: String?, mockCluster: MockCluster?) {
        self.kind = kind
        self.bootstrapServers = bootstrapServers
        self.admin = admin
        self.brokerTask = brokerTask
        self.dataDirectory = dataDirectory
        self.mockCluster = mockCluster
    }

    static func start(_ kind: ClusterKind) async throws -> TestCluster {
        switch kind {
        case .eventd:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kafka-tests-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            var logger = Logger(label: "eventd")
            logger.logLevel = ProcessInfo.processInfo.environment["EVENTD_LOG"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
            let broker = try KafkaBroker(
                configuration: BrokerConfiguration(host: "127.0.0.1", port: 0, dataDirectory: directory, topicsFile: nil),
                logger: logger
            )
            let task = Task { try await broker.run() }
            let port = try await broker.waitUntilListening()
            let bootstrap = ["127.0.0.1:\(port)"]
            let admin = try KafkaAdmin(configuration: .init(bootstrapServers: bootstrap), logger: quietLogger)
            return TestCluster(kind: kind, bootstrapServers: bootstrap, admin: admin, brokerTask: task, dataDirectory: directory, mockCluster: nil)
        case .mock:
            // Setting `test.mock.num.brokers` makes this client create (and own) a mock
            // cluster and bootstrap from it; other clients connect to its listeners.
            var configuration = KafkaAdminConfiguration(bootstrapServers: [])
            configuration.additionalProperties["test.mock.num.brokers"] = "3"
            let admin = try KafkaAdmin(configuration: configuration, logger: quietLogger)
            let mock = try MockCluster(owner: admin)
            return TestCluster(kind: kind, bootstrapServers: mock.bootstrapServers, admin: admin, brokerTask: nil, dataDirectory: nil, mockCluster: mock)
        }
    }

    /// Creates a topic: through ``KafkaAdmin`` on eventd; on the mock cluster, whose 2.0.2
    /// brokers have no CreateTopics API, through `rd_kafka_mock_topic_create`.
    func createTopic(_ name: String, partitions: Int32) async throws {
        if let mockCluster {
            try mockCluster.createTopic(name, partitions: partitions)
        } else {
            try await admin.createTopic(name, partitions: partitions)
        }
    }

    func stop() async {
        await admin.shutdown()
        // Cancelling the run task closes the listener and flushes the logs.
        if let brokerTask {
            brokerTask.cancel()
            _ = try? await brokerTask.value
        }
        if let dataDirectory { try? FileManager.default.removeItem(atPath: dataDirectory) }
    }
}

/// Runs `body` against a fresh cluster and stops it afterwards.
func withCluster(_ kind: ClusterKind, _ body: (TestCluster) async throws -> Void) async throws {
    let cluster = try await TestCluster.start(kind)
    do {
        try await body(cluster)
    } catch {
        await cluster.stop()
        throw error
    }
    await cluster.stop()
}

let quietLogger: Logger = {
    var logger = Logger(label: "kafka-tests")
    logger.logLevel = ProcessInfo.processInfo.environment["KAFKA_LOG"].flatMap(Logger.Level.init(rawValue:)) ?? .error
    return logger
}()

func uniqueName(_ prefix: String) -> String {
    "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())"
}

func bytes(_ string: String) -> [UInt8] { Array(string.utf8) }

/// A TCP port that is free right now on 127.0.0.1 (the kernel picks it for a socket bound
/// to port 0, which is then closed).
func freePort() throws -> Int {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard descriptor >= 0 else { throw POSIXError(.EMFILE) }
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
            bind(descriptor, socketAddress, length) == 0 && getsockname(descriptor, socketAddress, &length) == 0
        }
    }
    guard bound else { throw POSIXError(.EADDRNOTAVAIL) }
    return Int(UInt16(bigEndian: address.sin_port))
}
