/// What the last completed compaction pass of a log saw, so the cleaner can skip a log where
/// nothing changed: no append, no roll, no config change, and no time-dependent step due yet
/// (a segment passing `min.compaction.lag.ms`, a tombstone passing `delete.retention.ms`).
///
/// Kept in memory only: after a restart the first pass compacts again, which is harmless
/// because compaction is idempotent.
struct CompactionCheckpoint: Equatable {
    var logEndOffset: Int64
    var activeBaseOffset: Int64
    var config: LogConfig
    /// The pass could change something again at this time even when nothing else changes.
    var nextDue: Int64

    /// `a + b` clamped to Int64's range (configs may be as large as Long.MAX_VALUE).
    static func saturatingAdd(_ a: Int64, _ b: Int64) -> Int64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? (b > 0 ? .max : .min) : sum
    }
}
