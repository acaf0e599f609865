/// The outcome of verifying one partition (``ChainVerifier``).
public struct VerificationReport: Sendable {
    public var topic: String
    public var partition: Int32
    /// Everything found wrong, in the order found; empty when the partition is intact.
    public var failures: [VerificationFailure]
    /// Failures found beyond the first ``ChainVerifier/maxReportedFailures``, counted only.
    public var unreportedFailureCount: Int
    /// Audit records (checkpoints) read.
    public var checkpointCount: Int
    /// The leaves all checkpoints cover.
    public var treeSize: UInt64
    /// Surviving records that matched their leaf.
    public var verifiedRecordCount: Int
    /// Leaves with no surviving record: removed by compaction, retention or DeleteRecords (not a failure).
    public var removedRecordCount: Int
    /// Of those, the leaves below the log's start offset (retention, DeleteRecords); the
    /// rest were compacted away.
    public var removedBeforeLogStartCount: Int
    /// Records after the last checkpoint's coverage: not yet audited, so not verified.
    public var unauditedRecordCount: Int
    /// The last checkpoint read. An auditor who kept an earlier copy can compare: a chain
    /// cut short after its last checkpoint (with the log) is only detectable that way.
    public var lastCheckpoint: SignedCheckpoint?

    /// True when nothing is wrong.
    public var isIntact: Bool { failures.isEmpty && unreportedFailureCount == 0 }
}
