import ArgumentParser
import AuditChain
import Foundation
import Kafka

/// `eventctl prove --bootstrap HOST:PORT --topic T --partition P --offset O [--public-key FILE]`.
///
/// Writes a self-contained inclusion proof (``InclusionProof``'s JSON) of one record to
/// stdout: the record's leaf inputs, its audit path, and the latest signed checkpoint of the
/// partition. The leaves come from the partition's audit records (read over the wire from
/// the audit topic), the record from the topic itself. The public key is needed because the
/// proof carries the signer's fingerprint; the proof is checked with it before it is printed.
/// Exit 0 with the proof, 3 when the record does not match its audited leaf or the chain
/// does not verify (no honest proof exists), 1 when the record is not covered yet or on errors.
struct ProveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prove",
        abstract: "Print an inclusion proof (JSON) of one record against the latest signed checkpoint.")

    @OptionGroup var cluster: AuditClusterOptions

    @Option(name: .long, help: "The record's topic.")
    var topic: String

    @Option(name: .long, help: "The record's partition.")
    var partition: Int32

    @Option(name: .long, help: "The record's offset.")
    var offset: Int64

    @Option(name: .long, help: ArgumentHelp("The signer's public key (hex): the broker's audit-signing.key.pub (default ./data/audit-signing.key.pub, where eventd with its default --data-dir keeps it)." , valueName: "file"))
    var publicKey: String = "./data/audit-signing.key.pub"

    func run() async throws {
        do {
            let key = try VerifyingKey.load(from: publicKey)
            let proof = try await makeProof(publicKey: key)
            do {
                try proof.verify(publicKey: key)
            } catch {
                AuditConsole.error("TAMPERED topic \(topic) partition \(partition) offset \(offset): the proof does not verify: \(error)")
                throw ExitCode(AuditConsole.tamperedExitCode)
            }
            FileHandle.standardOutput.write(try proof.jsonData() + Data("\n".utf8))
        } catch let exit as ExitCode {
            throw exit
        } catch AuditChainError.malformed(let reason) {
            AuditConsole.error("TAMPERED topic \(topic) partition \(partition) offset \(offset): \(reason)")
            throw ExitCode(AuditConsole.tamperedExitCode)
        } catch {
            AuditConsole.error("\(error)")
            throw ExitCode.failure
        }
    }

    private func makeProof(publicKey: VerifyingKey) async throws -> InclusionProof {
        let servers = cluster.bootstrapServers
        let key = AuditRecord.key(topic: topic, partition: partition)
        let auditLog = try await AuditWireLog.read(bootstrapServers: servers, auditTopic: cluster.auditTopic, idleTimeout: cluster.idleTimeout) { $0 == key }
        let auditRecords = try auditLog.entries(topic: topic, partition: partition).map { try AuditRecord(decodingValue: $0.value) }
        guard let record = try await fetchRecord() else {
            throw AuditCommandError("topic \(topic) partition \(partition) has no record at offset \(offset) (removed, or not written yet)")
        }
        return try InclusionProof.make(for: record, auditRecords: auditRecords, publicKey: publicKey)
    }

    /// The record at `offset`, or nil when the partition has none there.
    private func fetchRecord() async throws -> LeafInput? {
        let reader = try AuditPartitionReader(
            bootstrapServers: cluster.bootstrapServers, partitions: [(KafkaTopicPartition(topic: topic, partition: partition), .exact(offset))])
        var found: LeafInput?
        let wanted = offset
        try await reader.readUntilCaughtUp(idleTimeout: cluster.idleTimeout) { message in
            if message.offset == wanted { found = LeafInput(message) }
            // The first message at or after the offset settles it either way.
            if message.offset >= wanted { throw AuditPartitionReader.StopReading() }
        }
        return found
    }
}
