import ArgumentParser
import AuditChain
import Foundation
import Kafka

/// `eventctl replay --bootstrap HOST:PORT --topic T [--partition P] [--from OFFSET] [--verify] [--format json]`.
///
/// Prints a topic's events as they are now, one per line (``ReplayEventLine``). With
/// `--verify`, also reads the audit topic and checks every event against the audit chain
/// over the wire — what a broker serves is what was checkpointed — and exits 3 on any
/// mismatch, naming topic, partition and offset (findings go to stderr; stdout stays JSON).
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Print a topic's events as JSON lines; with --verify check them against the audit chain (exit 3 on a mismatch).")

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case json
    }

    @OptionGroup var cluster: AuditClusterOptions

    @Option(name: .long, help: "The topic to replay.")
    var topic: String

    @Option(name: .long, help: "Only this partition (default: all).")
    var partition: Int32?

    @Option(name: .long, help: "Start at this offset (default: the beginning).")
    var from: Int64?

    @Flag(name: .long, help: "Check every event against the signed audit chain.")
    var verify = false

    @Option(name: .long, help: "Output format.")
    var format: Format = .json

    @Option(name: .long, help: ArgumentHelp("The signer's public key (hex) for --verify (default ./data/audit-signing.key.pub, where eventd with its default --data-dir keeps it).", valueName: "file"))
    var publicKey: String = "./data/audit-signing.key.pub"

    func run() async throws {
        do {
            try await replay()
        } catch let exit as ExitCode {
            throw exit
        } catch {
            AuditConsole.error("\(error)")
            throw ExitCode.failure
        }
    }

    private func replay() async throws {
        let servers = cluster.bootstrapServers
        let info = try await AuditClusterInfo.load(topic: topic, bootstrapServers: servers)
        let partitions = try partition.map { partition in
            guard partition >= 0, partition < info.partitionCount else { throw AuditCommandError("topic \(topic) has no partition \(partition)") }
            return [partition]
        } ?? Array(0..<info.partitionCount)

        var verifications: [Int32: AuditPartitionVerification] = [:]
        if verify {
            let key = try VerifyingKey.load(from: publicKey)
            let keys = Set(partitions.map { AuditRecord.key(topic: topic, partition: $0) })
            let auditLog = try await AuditWireLog.read(bootstrapServers: servers, auditTopic: cluster.auditTopic, idleTimeout: cluster.idleTimeout, wanted: keys.contains)
            for partition in partitions {
                var verification = AuditPartitionVerification(
                    topic: topic, partition: partition, publicKey: key, auditTopic: cluster.auditTopic,
                    missingRecordsAreTampering: !info.isCompacted)
                for entry in auditLog.entries(topic: topic, partition: partition) {
                    verification.addAuditRecord(value: entry.value, auditOffset: entry.auditOffset)
                }
                verifications[partition] = verification
            }
        }

        let start: KafkaOffset = from.map { .exact($0) } ?? .beginning
        let reader = try AuditPartitionReader(
            bootstrapServers: servers, partitions: partitions.map { (KafkaTopicPartition(topic: topic, partition: $0), start) })
        var firstOffset: [Int32: Int64] = [:]
        var lastOffset: [Int32: Int64] = [:]
        let caughtUp = try await reader.readUntilCaughtUp(idleTimeout: cluster.idleTimeout) { message in
            AuditConsole.out(ReplayEventLine.render(message))
            if firstOffset[message.partition] == nil { firstOffset[message.partition] = message.offset }
            lastOffset[message.partition] = message.offset
            verifications[message.partition]?.checkRecord(LeafInput(message))
        }
        if !caughtUp { AuditConsole.error("warning: no end-of-partition signal; stopped after \(cluster.idleTimeoutMs) ms without news") }
        guard verify else { return }

        var tampered = false
        for partition in partitions {
            guard var verification = verifications[partition] else { continue }
            // Over the wire the log start is where reading began; the end is one past the
            // last event served (a log cut short after its last checkpoint is caught here).
            let logStart = from ?? firstOffset[partition] ?? 0
            let logEnd = lastOffset[partition].map { $0 + 1 } ?? logStart
            let (report, findings) = verification.finish(logStartOffset: logStart, logEndOffset: logEnd)
            AuditConsole.printSummary(report, findings: findings, preAuditRecordCount: verification.preAuditRecordCount, to: AuditConsole.error)
            tampered = tampered || !findings.isEmpty
        }
        if tampered { throw ExitCode(AuditConsole.tamperedExitCode) }
    }
}
