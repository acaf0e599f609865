#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import KafkaProtocol
import NIOCore

/// One segment of a partition log: the `.log` file holding batches from `baseOffset` on, and
/// its sparse offset and time indexes.
///
/// Only the last segment of a log is appended to. Not thread-safe: the owning ``PartitionLog``
/// guards every segment with its lock, and hands the immutable ``PosixFile`` to readers.
final class LogSegment {
    let baseOffset: Int64
    let log: PosixFile
    let offsetIndex: SparseIndex<OffsetIndexEntry>
    let timeIndex: SparseIndex<TimeIndexEntry>
    /// Bytes of whole batches in the file; appends go here.
    var size: Int
    /// The offset after the last batch; `baseOffset` while empty.
    var nextOffset: Int64
    /// Base offset of the last batch (for the final time-index entry at roll); -1 while empty.
    var lastBatchBaseOffset: Int64
    /// Largest batch max timestamp in the segment, -1 while empty.
    var maxTimestamp: Int64
    /// The time the segment's age is measured from for `segment.ms`: the time of its first
    /// append, or after a restart the first batch's max timestamp (as Kafka does). nil while empty.
    var rollBaseTimestamp: Int64?
    /// Bytes appended since the last offset-index entry.
    var bytesSinceLastIndexEntry = 0

    init(
        baseOffset: Int64,
        log: PosixFile,
        offsetIndex: SparseIndex<OffsetIndexEntry>,
        timeIndex: SparseIndex<TimeIndexEntry>,
        size: Int
    ) {
        self.baseOffset = baseOffset
        self.log = log
        self.offsetIndex = offsetIndex
        self.timeIndex = timeIndex
        self.size = size
        self.nextOffset = baseOffset
        self.lastBatchBaseOffset = -1
        self.maxTimestamp = -1
    }

    /// Paths of the segment's three files in `directory`; `stage` is appended to each name
    /// (``LogFileNames/cleanedSuffix`` or ``LogFileNames/swapSuffix`` while compaction replaces it).
    static func paths(
        directory: String, baseOffset: Int64, stage: String = ""
    ) -> (log: String, offsetIndex: String, timeIndex: String) {
        (
            directory + "/" + LogFileNames.segmentFile(baseOffset: baseOffset, suffix: LogFileNames.logSuffix) + stage,
            directory + "/" + LogFileNames.segmentFile(baseOffset: baseOffset, suffix: LogFileNames.offsetIndexSuffix) + stage,
            directory + "/" + LogFileNames.segmentFile(baseOffset: baseOffset, suffix: LogFileNames.timeIndexSuffix) + stage
        )
    }

    /// Creates a new, empty segment (truncating leftovers with the same name); with a `stage`
    /// suffix, the replacement files compaction writes.
    static func create(directory: String, baseOffset: Int64, stage: String = "") throws -> LogSegment {
        let paths = paths(directory: directory, baseOffset: baseOffset, stage: stage)
        let log = try PosixFile.open(paths.log, create: true)
        try log.truncate(to: 0)
        let offsetIndex = try SparseIndex<OffsetIndexEntry>.open(path: paths.offsetIndex) { _, _ in true }.index
        try offsetIndex.truncate(toCount: 0)
        let timeIndex = try SparseIndex<TimeIndexEntry>.open(path: paths.timeIndex) { _, _ in true }.index
        try timeIndex.truncate(toCount: 0)
        return LogSegment(baseOffset: baseOffset, log: log, offsetIndex: offsetIndex, timeIndex: timeIndex, size: 0)
    }

    var isEmpty: Bool { size == 0 }

    /// The offset relative to the segment base, as index entries store it.
    func relative(_ offset: Int64) -> UInt32 { UInt32(offset - baseOffset) }

    /// Bookkeeping for one batch just written at `position`: indexes every `indexInterval` bytes
    /// (Kafka's rule: an entry for the first batch after more than `indexInterval` bytes) and
    /// tracks offsets and timestamps.
    ///
    /// It does not throw: the batch is already in the log, and the indexes are a cache. An entry
    /// that failed to write is simply missing (lookups scan a little further); the next entry is
    /// written at the same file position, so the file stays consistent with memory.
    func didAppendBatch(
        baseOffset batchBase: Int64, lastOffset: Int64, maxTimestamp batchMax: Int64,
        position: Int, size batchSize: Int, indexInterval: Int
    ) {
        if maxTimestamp < batchMax { maxTimestamp = batchMax }
        if bytesSinceLastIndexEntry > indexInterval {
            try? offsetIndex.append(OffsetIndexEntry(relativeOffset: relative(batchBase), position: UInt32(position)))
            try? appendTimeIndexEntryIfAdvanced(relativeOffset: relative(batchBase))
            bytesSinceLastIndexEntry = 0
        }
        bytesSinceLastIndexEntry += batchSize
        lastBatchBaseOffset = batchBase
        nextOffset = lastOffset + 1
    }

    /// Records the running max timestamp in the time index when it grew since the last entry.
    func appendTimeIndexEntryIfAdvanced(relativeOffset: UInt32) throws {
        if maxTimestamp > (timeIndex.last?.timestamp ?? -1) {
            try timeIndex.append(TimeIndexEntry(timestamp: maxTimestamp, relativeOffset: relativeOffset))
        }
    }

    /// Called when the segment stops being the active one: a final time-index entry, so that a
    /// later start knows the segment's max timestamp without scanning it, then fsync of all three
    /// files, so that recovery only ever has to validate the last segment.
    func seal() throws {
        if lastBatchBaseOffset >= 0 {
            try appendTimeIndexEntryIfAdvanced(relativeOffset: relative(lastBatchBaseOffset))
        }
        try log.sync()
        try offsetIndex.file.sync()
        try timeIndex.file.sync()
    }

    /// File position to start scanning from for `offset`: the last indexed batch at or before it.
    func startPosition(for offset: Int64) -> Int {
        guard offset > baseOffset else { return 0 }
        let rel = offset - baseOffset >= Int64(UInt32.max) ? UInt32.max : relative(offset)
        return offsetIndex.lookup(relativeOffset: rel).map { Int($0.position) } ?? 0
    }

    /// Removes the segment's files (readers holding its ``PosixFile`` keep reading).
    func deleteFiles(directory: String) {
        let paths = Self.paths(directory: directory, baseOffset: baseOffset)
        for path in [paths.log, paths.offsetIndex, paths.timeIndex] {
            _ = path.withCString { unlink($0) }
        }
    }
}
