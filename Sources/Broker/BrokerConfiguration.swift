/// Settings of one `eventd` broker.
public struct BrokerConfiguration: Sendable {
    /// Address the Kafka listener binds to.
    public var host: String
    public var port: Int
    /// Host and port written into Metadata responses; defaults to the listen address.
    public var advertisedHost: String?
    public var advertisedPort: Int?
    /// Schema Registry REST listener (with `/metrics` and `/health`); nil serves none.
    public var registryHost: String?
    public var registryPort: Int
    public var dataDirectory: String
    /// Path of topics.yaml; its topics are created at start when missing.
    public var topicsFile: String?
    /// Frames larger than this close the connection that sent them.
    public var maxFrameSize: Int
    /// Connection count, per-connection backpressure and partial-frame timeout.
    public var limits = ConnectionLimits()
    /// Secure listeners, users, TLS and ACL enforcement.
    public var security = SecurityConfiguration()
    /// How long a new group waits for more members before its first rebalance completes.
    public var initialRebalanceDelayMs: Int64
    public var nodeID: Int32
    /// Ed25519 key that signs audit checkpoints; created (mode 0600) when missing.
    /// Defaults to `audit-signing.key` in the data directory.
    public var signingKeyPath: String?
    /// Audit checkpoints are written every this many records per partition...
    public var auditCheckpointRecords: Int
    /// ...or this often when fewer arrived.
    public var auditCheckpointIntervalMs: Int64
    /// How often the log cleaner applies retention and compaction.
    public var logCleanerIntervalMs: Int64
    public var clusterID: String

    public init(
        host: String = "127.0.0.1",
        port: Int = 9092,
        advertisedHost: String? = nil,
        advertisedPort: Int? = nil,
        registryHost: String? = nil,
        registryPort: Int = 8081,
        dataDirectory: String = "./data",
        topicsFile: String? = nil,
        maxFrameSize: Int = 100 * 1024 * 1024,
        initialRebalanceDelayMs: Int64 = 300,
        nodeID: Int32 = 0,
        logCleanerIntervalMs: Int64 = 30_000,
        signingKeyPath: String? = nil,
        auditCheckpointRecords: Int = 10_000,
        auditCheckpointIntervalMs: Int64 = 1_000,
        clusterID: String = "compliancelog"
    ) {
        self.host = host
        self.port = port
        self.advertisedHost = advertisedHost
        self.advertisedPort = advertisedPort
        self.registryHost = registryHost
        self.registryPort = registryPort
        self.dataDirectory = dataDirectory
        self.topicsFile = topicsFile
        self.maxFrameSize = maxFrameSize
        self.initialRebalanceDelayMs = initialRebalanceDelayMs
        self.nodeID = nodeID
        self.logCleanerIntervalMs = logCleanerIntervalMs
        self.signingKeyPath = signingKeyPath
        self.auditCheckpointRecords = auditCheckpointRecords
        self.auditCheckpointIntervalMs = auditCheckpointIntervalMs
        self.clusterID = clusterID
    }
}
