import Kafka

/// What the audit commands need to know about a topic from the cluster.
struct AuditClusterInfo {
    var partitionCount: Int32
    /// `cleanup.policy` contains `compact`.
    var isCompacted: Bool

    /// Asks the cluster about `topic`.
    static func load(topic: String, bootstrapServers: [String]) async throws -> AuditClusterInfo {
        let admin = try KafkaAdmin(configuration: KafkaAdminConfiguration(bootstrapServers: bootstrapServers))
        do {
            let metadata = try await admin.metadata()
            guard let described = metadata.topic(topic), described.error == nil, !described.partitions.isEmpty else {
                throw AuditCommandError("topic \(topic) does not exist")
            }
            let configs = try await admin.describeTopicConfig(topic)
            let policy = configs.first { $0.name == "cleanup.policy" }?.value
            await admin.shutdown()
            return AuditClusterInfo(partitionCount: Int32(described.partitions.count),
                                    isCompacted: AuditTopicCatalogue.Topic.isCompacted(cleanupPolicy: policy))
        } catch {
            await admin.shutdown()
            throw error
        }
    }
}
