/// What one cleaner pass (``PartitionLog/clean(now:)``) did to a partition log.
public struct LogCleaningResult: Sendable, Equatable {
    /// The active segment was closed because it was older than `segment.ms`.
    public var rolled: Bool
    /// Closed segments deleted by retention.
    public var segmentsDeleted: Int
    /// What compaction removed (all zero when the policy does not compact or nothing was due).
    public var compaction: CompactionResult

    public init(rolled: Bool = false, segmentsDeleted: Int = 0, compaction: CompactionResult = CompactionResult()) {
        self.rolled = rolled
        self.segmentsDeleted = segmentsDeleted
        self.compaction = compaction
    }

    /// True when the pass changed nothing.
    public var isEmpty: Bool { !rolled && segmentsDeleted == 0 && compaction == CompactionResult() }
}
