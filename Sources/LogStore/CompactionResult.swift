/// What one compaction pass of a partition log did.
public struct CompactionResult: Sendable, Equatable {
    /// Segments rewritten (or, when nothing of them survived, removed).
    public var segmentsCleaned: Int
    /// Records removed because a later record has the same key (or they had no key).
    public var recordsRemoved: Int
    /// Tombstones removed because they were older than `delete.retention.ms`.
    public var tombstonesRemoved: Int
    /// Bytes of the cleaned segments before and after.
    public var bytesBefore: Int
    public var bytesAfter: Int

    public init(segmentsCleaned: Int = 0, recordsRemoved: Int = 0, tombstonesRemoved: Int = 0, bytesBefore: Int = 0, bytesAfter: Int = 0) {
        self.segmentsCleaned = segmentsCleaned
        self.recordsRemoved = recordsRemoved
        self.tombstonesRemoved = tombstonesRemoved
        self.bytesBefore = bytesBefore
        self.bytesAfter = bytesAfter
    }
}
