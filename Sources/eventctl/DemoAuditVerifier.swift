import AuditChain
import Foundation
import Kafka

/// The check `eventctl replay --verify` makes, over whole topics: every record of each
/// partition against the signed audit chain in `__audit`.
enum DemoAuditVerifier {
    /// Prints one summary line per partition (findings to stderr); returns whether all verified.
    static func verify(topic: String, bootstrapServers: [String], publicKeyPath: String, auditTopic: String = "__audit", idleTimeout: Duration = .seconds(15)) async throws -> Bool {
        let key = try VerifyingKey.load(from: publicKeyPath)
        let info = try await AuditClusterInfo.load(topic: topic, bootstrapServers: bootstrapServers)
        let partitions = Array(0..<info.partitionCount)
        let keys = Set(partitions.map { AuditRecord.key(topic: topic, partition: $0) })
        let auditLog = try await AuditWireLog.read(bootstrapServers: bootstrapServers, auditTopic: auditTopic, idleTimeout: idleTimeout, wanted: keys.contains)
        var verifications: [Int32: AuditPartitionVerification] = [:]
        for partition in partitions {
            var verification = AuditPartitionVerification(
                topic: topic, partition: partition, publicKey: key, auditTopic: auditTopic, missingRecordsAreTampering: !info.isCompacted)
            for entry in auditLog.entries(topic: topic, partition: partition) {
                verification.addAuditRecord(value: entry.value, auditOffset: entry.auditOffset)
            }
            verifications[partition] = verification
        }
        let reader = try AuditPartitionReader(
            bootstrapServers: bootstrapServers, partitions: partitions.map { (KafkaTopicPartition(topic: topic, partition: $0), KafkaOffset.beginning) })
        var firstOffset: [Int32: Int64] = [:]
        var lastOffset: [Int32: Int64] = [:]
        _ = try await reader.readUntilCaughtUp(idleTimeout: idleTimeout) { message in
            if firstOffset[message.partition] == nil { firstOffset[message.partition] = message.offset }
            lastOffset[message.partition] = message.offset
            verifications[message.partition]?.checkRecord(LeafInput(message))
        }
        var intact = true
        for partition in partitions {
            guard var verification = verifications[partition] else { continue }
            let logStart = firstOffset[partition] ?? 0
            let logEnd = lastOffset[partition].map { $0 + 1 } ?? logStart
            let (report, findings) = verification.finish(logStartOffset: logStart, logEndOffset: logEnd)
            AuditConsole.printSummary(report, findings: findings, preAuditRecordCount: verification.preAuditRecordCount, to: findings.isEmpty ? AuditConsole.out : AuditConsole.error)
            intact = intact && findings.isEmpty
        }
        return intact
    }
}
