import AuditChain
import KafkaProtocol
import NIOCore

/// Verifies one partition: ``ChainVerifier`` plus what only the caller can know.
///
/// The library treats every record missing from the chain's coverage as removed by
/// compaction, retention or DeleteRecords — payloads may go, leaves stay. That is right for
/// compacted topics, but on a topic whose `cleanup.policy` has no `compact`, a record can
/// only legitimately disappear from below the log start offset. So when
/// `missingRecordsAreTampering` is set, an audited offset in `[logStart, logEnd)` without a
/// surviving record is reported as `recordMissing`. (Offsets at or after the log end are
/// the library's `truncated`.)
///
/// A topic can become audited after it already had records (eventd then starts the chain
/// at the partition's end). Records below the first offset the chain covers are that
/// history: they are counted in ``preAuditRecordCount``, not checked — the library would
/// call them insertions.
struct AuditPartitionVerification {
    let topic: String
    let partition: Int32
    let auditTopic: String
    let missingRecordsAreTampering: Bool

    private var verifier: ChainVerifier
    /// The audit-topic offset of each checkpoint, by checkpoint index.
    private var auditOffsets: [Int64] = []
    /// Every audited record offset, in chain order.
    private var auditedOffsets: [Int64] = []
    /// Offsets of the records checked, in the order read (ascending unless tampered with):
    /// an array rather than a set, as appending is all the per-record path should cost.
    private var survivingOffsets: [Int64] = []
    private var extraFindings: [AuditFinding] = []
    /// The offset of the chain's first leaf.
    private var firstAuditedOffset: Int64?
    /// Records older than the chain, seen so far.
    private(set) var preAuditRecordCount = 0

    init(topic: String, partition: Int32, publicKey: VerifyingKey, auditTopic: String, missingRecordsAreTampering: Bool) {
        self.topic = topic
        self.partition = partition
        self.auditTopic = auditTopic
        self.missingRecordsAreTampering = missingRecordsAreTampering
        verifier = ChainVerifier(topic: topic, partition: partition, publicKey: publicKey)
    }

    /// Adds the partition's next audit record value, found at `auditOffset` of the audit topic.
    mutating func addAuditRecord(value: ByteBuffer, auditOffset: Int64) {
        auditOffsets.append(auditOffset)
        if let record = try? AuditRecord(decodingValue: value) {
            // The first leaf of the chain (earlier checkpoints may have covered nothing).
            if auditedOffsets.isEmpty, record.firstLeafIndex == 0, let first = record.entries.first?.offset {
                firstAuditedOffset = first
            }
            auditedOffsets.append(contentsOf: record.entries.map(\.offset))
            verifier.addAuditRecord(record)
        } else {
            verifier.addAuditRecord(value: value)  // reports it as malformed
        }
    }

    /// Checks a record read from disk.
    mutating func checkRecord(_ record: Record) {
        if isPreAudit(record.offset) { return }
        survivingOffsets.append(record.offset)
        verifier.checkRecord(record)
    }

    /// Checks a record read from disk whose leaf hash was computed elsewhere (in parallel).
    mutating func checkRecord(offset: Int64, leafHash: AuditDigest) {
        if isPreAudit(offset) { return }
        survivingOffsets.append(offset)
        verifier.checkRecord(offset: offset, leafHash: leafHash)
    }

    /// Checks a record read over the wire.
    mutating func checkRecord(_ input: LeafInput) {
        if isPreAudit(input.offset) { return }
        survivingOffsets.append(input.offset)
        verifier.checkRecord(input)
    }

    private mutating func isPreAudit(_ offset: Int64) -> Bool {
        guard let firstAuditedOffset, offset < firstAuditedOffset else { return false }
        preAuditRecordCount += 1
        return true
    }

    /// Records something wrong found outside the chain (e.g. corrupt bytes on disk).
    mutating func addFinding(offset: Int64? = nil, kind: String, message: String) {
        extraFindings.append(AuditFinding(topic: topic, partition: partition, offset: offset, kind: kind, message: message))
    }

    /// Finishes: the library's report and every finding, in the order found.
    ///
    /// - Parameter everyRecordCheckpointed: the broker stopped cleanly, so its final
    ///   checkpoint covers every record: one beyond the chain was added or renumbered since.
    mutating func finish(logStartOffset: Int64, logEndOffset: Int64, everyRecordCheckpointed: Bool = false) -> (report: VerificationReport, findings: [AuditFinding]) {
        let report = verifier.finish(logStartOffset: logStartOffset, logEndOffset: logEndOffset)
        var findings = extraFindings
        if everyRecordCheckpointed, report.unauditedRecordCount > 0 {
            findings.append(AuditFinding(
                topic: topic, partition: partition, kind: "recordNotAudited",
                message: "\(report.unauditedRecordCount) record(s) lie beyond the last checkpoint, but the broker stopped cleanly and its final checkpoint covers every record"))
        }
        findings += report.failures.map { AuditFinding($0, auditOffsets: auditOffsets, auditTopic: auditTopic) }
        if report.unreportedFailureCount > 0 {
            findings.append(AuditFinding(topic: topic, partition: partition, kind: "more", message: "\(report.unreportedFailureCount) further failures not listed"))
        }
        if missingRecordsAreTampering {
            let missing = Self.offsets(auditedOffsets, notIn: &survivingOffsets).filter { $0 >= logStartOffset && $0 < logEndOffset }
            for offset in missing.prefix(ChainVerifier.maxReportedFailures) {
                findings.append(AuditFinding(
                    topic: topic, partition: partition, offset: offset, kind: "recordMissing",
                    message: "audited record is gone, but the topic is not compacted and the offset is not below the log start offset \(logStartOffset) (retention/DeleteRecords)"))
            }
        }
        return (report, findings)
    }

    /// The elements of `audited` missing from `surviving`: one merge walk when both are
    /// ascending (the normal case), binary searches otherwise.
    private static func offsets(_ audited: [Int64], notIn surviving: inout [Int64]) -> [Int64] {
        if !isAscending(surviving) { surviving.sort() }
        let all = surviving
        if isAscending(audited) {
            var index = 0
            return audited.filter { offset in
                while index < all.count && all[index] < offset { index += 1 }
                return index == all.count || all[index] != offset
            }
        }
        return audited.filter { offset in
            var low = 0, high = all.count
            while low < high {
                let middle = (low + high) / 2
                if all[middle] < offset { low = middle + 1 } else { high = middle }
            }
            return low == all.count || all[low] != offset
        }
    }

    private static func isAscending(_ offsets: [Int64]) -> Bool {
        offsets.indices.dropLast().allSatisfy { offsets[$0] <= offsets[$0 + 1] }
    }
}
