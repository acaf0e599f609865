import AuditChain
import Foundation
import KafkaProtocol
import LogStore
import NIOCore

/// Offline verification of an eventd data directory (`eventctl verify`): every partition of
/// every audited topic against its `__audit` checkpoints, reading files read-only.
struct AuditDataDirectoryVerifier {
    static let auditTopic = "__audit"
    /// Largest decompressed records section of one batch that is parsed.
    static let maxDecompressedBatchSize = 256 << 20
    /// Batch bytes read before their leaves are hashed in parallel: enough to keep every
    /// core busy for a while, small enough to stay in the CPU caches' neighbourhood.
    static let windowBytes = 8 << 20

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
                    try batch.forEachRecord(maxDecompressedSize: Self.maxDecompressedBatchSize) { record in
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
    ///
    /// A reading thread collects batches into windows of ``windowBytes``
    /// (``AuditWindowChannel``); this thread hashes each window's leaves on every core
    /// (``AuditBatchHasher``) and checks them in offset order. Corruption reports travel in
    /// the same channel, so findings keep the order of the file.
    private func readPartition(topic: String, partition: Int32, into verification: inout AuditPartitionVerification) -> LogDirectoryReader.Extent {
        let path = directory(topic: topic, partition: partition)
        let channel = AuditWindowChannel(capacity: 2)
        Thread.detachNewThread { Self.read(path, into: channel) }
        let hasher = AuditBatchHasher(topic: topic, partition: partition)
        while true {
            switch channel.take() {
            case .batches(let window):
                let leaves = hasher.leaves(of: window.map(\.batch))
                for (batch, result) in zip(window, leaves) {
                    for leaf in result.leaves { verification.checkRecord(offset: leaf.offset, leafHash: leaf.leafHash) }
                    if let parseError = result.parseError {
                        verification.addFinding(offset: batch.batch.header.baseOffset, kind: "corruptBytes", message: "records of the batch at \(batch.location) do not parse: \(parseError)")
                    }
                }
            case .corruption(let message, let nextOffset):
                verification.addFinding(offset: nextOffset, kind: "corruptBytes", message: message)
            case .finished(let extent, let failure, let nextOffset):
                if let extent { return extent }
                verification.addFinding(offset: nextOffset, kind: "corruptBytes", message: failure ?? "unreadable")
                return LogDirectoryReader.Extent(logStartOffset: 0, logEndOffset: nextOffset)
            }
        }
    }

    /// On the reading thread: every batch of the partition directory, in windows.
    private static func read(_ path: String, into channel: AuditWindowChannel) {
        var window: [(batch: RecordBatch, location: LogDirectoryReader.Location)] = []
        var windowSize = 0
        func flush() {
            guard !window.isEmpty else { return }
            channel.put(.batches(window))
            window = []
            windowSize = 0
        }
        var nextOffset: Int64 = 0
        do {
            let reader = try LogDirectoryReader(directory: path)
            nextOffset = reader.segmentBaseOffsets.first ?? 0
            let extent = try reader.forEachBatch(onCorruption: { failure in
                flush()
                channel.put(.corruption("\(failure)", nextOffset: nextOffset))
            }) { batch, location in
                window.append((batch, location))
                windowSize += batch.bytes.readableBytes
                nextOffset = batch.header.lastOffset + 1
                if windowSize >= windowBytes { flush() }
            }
            flush()
            channel.put(.finished(extent, failure: nil, nextOffset: nextOffset))
        } catch {
            flush()
            channel.put(.finished(nil, failure: "\(error)", nextOffset: nextOffset))
        }
    }

    private func directory(topic: String, partition: Int32) -> String {
        (dataDirectory as NSString).appendingPathComponent("\(topic)-\(partition)")
    }
}
