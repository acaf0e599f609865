import AuditChain
import Kafka
import NIOCore

/// The `__audit` records of some partitions, read over the wire from the audit topic.
struct AuditWireLog {
    /// One audit record value and where it sits in the audit topic.
    struct Entry {
        var auditOffset: Int64
        var value: ByteBuffer
    }

    /// Per `"<topic>/<partition>"` key, the partition's audit record values in audit-topic order.
    private(set) var entriesByKey: [String: [Entry]] = [:]

    func entries(topic: String, partition: Int32) -> [Entry] {
        entriesByKey[AuditRecord.key(topic: topic, partition: partition)] ?? []
    }

    /// Reads the whole audit topic (one partition, like eventd's `__audit`), keeping the
    /// records whose key passes `wanted`.
    static func read(bootstrapServers: [String], auditTopic: String, idleTimeout: Duration, wanted: (String) -> Bool = { _ in true }) async throws -> AuditWireLog {
        let reader = try AuditPartitionReader(
            bootstrapServers: bootstrapServers, partitions: [(KafkaTopicPartition(topic: auditTopic, partition: 0), .beginning)])
        var log = AuditWireLog()
        try await reader.readUntilCaughtUp(idleTimeout: idleTimeout) { message in
            guard let keyBytes = message.key, let value = message.value else { return }
            let key = String(decoding: keyBytes, as: UTF8.self)
            guard wanted(key) else { return }
            log.entriesByKey[key, default: []].append(Entry(auditOffset: message.offset, value: ByteBuffer(bytes: value)))
        }
        return log
    }
}
