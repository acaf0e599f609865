import AuditChain
import Foundation
import KafkaProtocol
import LogStore
import NIOCore

/// Offline verification of an eventd data directory (`eventctl verify`): every partition of
/// every audited topic against its `__audit` checkpoints, reading files read-only.
struct AuditDataDirectoryVerifier {
    static let auditTopic = "__audit"

    /// The outcome of one partition.
    struct PartitionResult {
        var topic: String
        var partition: Int32
        var report: VerificationReport
        var findings: [AuditFinding]
        var preAuditRecordCount: Int
    }

    let dataDirectory: String
    let publicKey: VerifyingKey

    /// Verifies the audited topics (or only `onlyTopic`).
    func verify(onlyTopic: String?) throws -> [PartitionResult] {
        let catalogue = try AuditTopicCatalogue.load(dataDirectory: dataDirectory)
        // The log store leaves this marker after a clean close, which eventd precedes with a
        // final checkpoint of every audited partition.
        let stoppedCleanly = FileManager.default.fileExists(atPath: (dataDirectory as NSString).appendingPathComponent(".clean-shutdown"))
        var topics = catalogue.topics.filter { $0.isAudited && !$0.isInternal }
        if let onlyTopic {
            guard let topic = catalogue.topics.first(where: { $0.name == onlyTopic }) else {
                throw AuditCommandError("no topic \(onlyTopic) in \(dataDirectory)/topics.json")
            }
            // Verify it even if it is not (or no longer) marked audited: its checkpoints decide.
            topics = [topic]
        }
        let (auditRecords, auditCorruption) = try readAuditTopic()
        var results: [PartitionResult] = []
        for topic in topics.sorted(by: { $0.name < $1.name }) {
            for partition in 0..<topic.partitionCount {
                var verification = AuditPartitionVerification(
                    topic: topic.name, partition: partition, publicKey: publicKey,
                    auditTopic: Self.auditTopic, missingRecordsAreTampering: !topic.isCompacted)
                for entry in auditRecords[AuditRecord.key(topic: topic.name, partition: partition)] ?? [] {
                    verification.addAuditRecord(value: entry.value, auditOffset: entry.auditOffset)
                }
                if let auditCorruption {
                    // Checkpoints past the corrupt bytes could not be read: the chain is incomplete.
                    verification.addFinding(kind: "corruptBytes", message: "\(Self.auditTopic): \(auditCorruption)")
                }
                let extent = readPartition(topic: topic.name, partition: partition, into: &verification)
                let (report, findings) = verification.finish(
                    logStartOffset: extent.logStartOffset, logEndOffset: extent.logEndOffset, everyRecordCheckpointed: stoppedCleanly)
                results.append(PartitionResult(
                    topic: topic.name, partition: partition, report: report, findings: findings,
                    preAuditRecordCount: verification.preAuditRecordCount))
            }
        }
        return results
    }

    /// Reads `__audit-0`: per key, the values and their offsets, plus a description of any
    /// corrupt bytes, to be reported against every partition (whose checkpoint they held is
    /// unknown; the chain check then reports the gap where it belongs).
    private func readAuditTopic() throws -> ([String: [AuditWireLog.Entry]], String?) {
        let reader = try LogDirectoryReader(directory: directory(topic: Self.auditTopic, partition: 0))
        var byKey: [String: [AuditWireLog.Entry]] = [:]
        var corruption: [String] = []
        // `__audit` is never compacted nor deleted: its offsets are dense from 0, so a moved
        // or renumbered batch shows as a gap or an overlap.
        var expectedOffset: Int64 = 0
        do {
            try reader.forEachBatch(onCorruption: { corruption.append("\($0)") }) { batch, location in
                if batch.header.baseOffset != expectedOffset {
                    corruption.append("batch at \(location) starts at offset \(batch.header.baseOffset), expected \(expectedOffset)")
                }
                expectedOffset = batch.header.lastOffset + 1
                do {
                    try batch.forEachRecord(maxDecompressedSize: 256 << 20) { record in
                        guard let key = record.key, let value = record.value else { return }
                        byKey[String(buffer: key), default: []].append(AuditWireLog.Entry(auditOffset: record.offset, value: value))
                    }
                } catch {
                    corruption.append("records of the batch at \(location) do not parse: \(error)")
                }
            }
        } catch {
            corruption.append("\(error)")
        }
        return (byKey, corruption.isEmpty ? nil : corruption.joined(separator: "; "))
    }

    /// Streams the partition's records into `verification`; corrupt bytes become findings
    /// and the walk goes on past them where it can.
    private func readPartition(topic: String, partition: Int32, into verification: inout AuditPartitionVerification) -> LogDirectoryReader.Extent {
        let path = directory(topic: topic, partition: partition)
        var nextOffset: Int64 = 0
        do {
            let reader = try LogDirectoryReader(directory: path)
            nextOffset = reader.segmentBaseOffsets.first ?? 0
            return try reader.forEachBatch(onCorruption: { failure in
                verification.addFinding(offset: nextOffset, kind: "corruptBytes", message: "\(failure)")
            }) { batch, location in
                do {
                    try batch.forEachRecord(maxDecompressedSize: 256 << 20) { verification.checkRecord($0) }
                } catch {
                    verification.addFinding(offset: batch.header.baseOffset, kind: "corruptBytes", message: "records of the batch at \(location) do not parse: \(error)")
                }
                nextOffset = batch.header.lastOffset + 1
            }
        } catch {
            verification.addFinding(offset: nextOffset, kind: "corruptBytes", message: "\(error)")
            return LogDirectoryReader.Extent(logStartOffset: 0, logEndOffset: nextOffset)
        }
    }

    private func directory(topic: String, partition: Int32) -> String {
        (dataDirectory as NSString).appendingPathComponent("\(topic)-\(partition)")
    }
}
