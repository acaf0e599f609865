import Foundation

/// An `eventd` started as a child process for `demo payments` without `--bootstrap`:
/// eventctl does not link the broker, so it runs the `eventd` binary that sits next to it,
/// on free ports, with a fresh data directory and the demo's audited topics.
final class DemoEmbeddedBroker {
    let bootstrap: String
    let registryURL: String
    let dataDirectory: URL
    let publicKeyPath: String
    private let process: Process
    private let workDirectory: URL

    static func start(schemasDirectory: URL?) throws -> DemoEmbeddedBroker {
        let eventctl = (Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])).resolvingSymlinksInPath()
        let binary = eventctl.deletingLastPathComponent().appendingPathComponent("eventd")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw DemoError("no eventd next to eventctl (\(binary.path)); build it, or pass --bootstrap")
        }
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("eventctl-demo-\(UUID().uuidString.prefix(8))")
        let data = work.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        let topicsFile = work.appendingPathComponent("topics.yaml")
        try topicsYAML(schemasDirectory: schemasDirectory).write(to: topicsFile, atomically: true, encoding: .utf8)
        let port = try freePort()
        let registryPort = try freePort()
        let process = Process()
        process.executableURL = binary
        process.arguments = ["--listen", "127.0.0.1:\(port)", "--data-dir", data.path, "--topics", topicsFile.path, "--registry-listen", "127.0.0.1:\(registryPort)"]
        let log = work.appendingPathComponent("eventd.log")
        // A failure here is reported by the FileHandle below, with the reason.
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        let broker = DemoEmbeddedBroker(
            bootstrap: "127.0.0.1:\(port)", registryURL: "http://127.0.0.1:\(registryPort)", dataDirectory: data,
            publicKeyPath: data.appendingPathComponent("audit-signing.key.pub").path, process: process, workDirectory: work)
        let deadline = Date().addingTimeInterval(30)
        while !accepts(port: port) {
            guard process.isRunning, Date() < deadline else {
                broker.stop()
                throw DemoError("embedded eventd did not start; its log: \(log.path)")
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return broker
    }

    private init(bootstrap: String, registryURL: String, dataDirectory: URL, publicKeyPath: String, process: Process, workDirectory: URL) {
        self.bootstrap = bootstrap
        self.registryURL = registryURL
        self.dataDirectory = dataDirectory
        self.publicKeyPath = publicKeyPath
        self.process = process
        self.workDirectory = workDirectory
    }

    /// SIGTERM (eventd flushes and writes a final checkpoint), then removes the data.
    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: workDirectory)
    }

    /// The demo's audited topics, with their schemas when the schema files were found.
    private static func topicsYAML(schemasDirectory: URL?) -> String {
        var text = "defaults:\n  replication_factor: 1\n  min_insync_replicas: 1\ntopics:\n"
        for (topic, schema) in [("compliance-events", "compliance-event.avsc"), ("risk-assessments", "risk-assessment.avsc")] {
            text += "  \(topic):\n    partitions: 6\n    cleanup_policy: [delete]\n    retention: 7y\n    audit: true\n"
            if let path = schemasDirectory?.appendingPathComponent(schema).path {
                text += "    schema:\n      value: \(path)\n      compatibility: BACKWARD\n"
            }
        }
        return text
    }

    private static func accepts(port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    /// A port the kernel says is free right now (bound to port 0, then closed).
    private static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw DemoError("cannot open a socket") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0
            }
        }
        guard bound else { throw DemoError("cannot find a free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
