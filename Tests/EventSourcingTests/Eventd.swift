import Broker
import EventSourcing
import Foundation
import Kafka
import Logging

/// An in-process `eventd` on a free port over a data directory that outlives it, so a test
/// can stop it and start another one on the same data (as after a restart).
final class Eventd: Sendable {
    let dataDirectory: String
    let bootstrapServers: [String]
    let admin: KafkaAdmin
    private let task: Task<Void, any Error>

    private init(dataDirectory: String, bootstrapServers: [String], admin: KafkaAdmin, task: Task<Void, any Error>) {
        self.dataDirectory = dataDirectory
        self.bootstrapServers = bootstrapServers
        self.admin = admin
        self.task = task
    }

    static func start(dataDirectory: String? = nil) async throws -> Eventd {
        let directory = dataDirectory
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("event-sourcing-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var logger = Logger(label: "eventd")
        logger.logLevel = ProcessInfo.processInfo.environment["EVENTD_LOG"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
        let broker = try KafkaBroker(
            configuration: BrokerConfiguration(host: "127.0.0.1", port: 0, dataDirectory: directory, topicsFile: nil),
            logger: logger)
        let task = Task { try await broker.run() }
        let port = try await broker.waitUntilListening()
        let bootstrap = ["127.0.0.1:\(port)"]
        let admin = try KafkaAdmin(configuration: .init(bootstrapServers: bootstrap), logger: quietLogger)
        return Eventd(dataDirectory: directory, bootstrapServers: bootstrap, admin: admin, task: task)
    }

    /// An events topic with the broker's version check on, and its compacted snapshots topic.
    func createEventTopics(_ name: String, partitions: Int32 = 3, enforced: Bool = true) async throws {
        try await admin.createTopic(name, partitions: partitions, configs: enforced ? ["compliancelog.expected.version": "true"] : [:])
        try await admin.createTopic("\(name)-snapshots", partitions: partitions, configs: ["cleanup.policy": "compact"])
    }

    func makeStore(_ topic: String, producer: String = "tests") throws -> EventStore {
        try EventStore(configuration: .init(bootstrapServers: bootstrapServers, eventsTopic: topic, producerName: producer), logger: quietLogger)
    }

    /// Stops the broker; the data directory stays.
    func stop() async {
        await admin.shutdown()
        task.cancel()
        _ = try? await task.value
    }

    func removeData() {
        try? FileManager.default.removeItem(atPath: dataDirectory)
    }
}

/// Runs `body` against a fresh broker, stopped and removed afterwards.
func withEventd(_ body: (Eventd) async throws -> Void) async throws {
    let eventd = try await Eventd.start()
    do {
        try await body(eventd)
    } catch {
        await eventd.stop()
        eventd.removeData()
        throw error
    }
    await eventd.stop()
    eventd.removeData()
}

let quietLogger: Logger = {
    var logger = Logger(label: "event-sourcing-tests")
    logger.logLevel = ProcessInfo.processInfo.environment["KAFKA_LOG"].flatMap(Logger.Level.init(rawValue:)) ?? .error
    return logger
}()

func uniqueTopic(_ prefix: String) -> String {
    "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())"
}
