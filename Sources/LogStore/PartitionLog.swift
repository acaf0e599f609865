import struct Foundation.Data
import Logging
import NIOConcurrencyHelpers
import NIOCore

/// The durable log of one topic partition: a directory of segments named by base offset
/// (`00000000000000000000.log` with its `.index` and `.timeindex`), Apache Kafka's layout.
///
/// Batches are stored exactly as produced (RecordBatch v2); the log only rewrites the base offset
/// and partition leader epoch of each batch, which the CRC does not cover. Appends are not fsynced:
/// call ``flush()`` or use a ``LogFlusher`` to wait until an offset is durable.
///
/// Thread safety: all mutable state is guarded by one lock. File reads happen outside it, on
/// reference-counted descriptors, so readers do not hold up appends.
public final class PartitionLog: @unchecked Sendable {
    public let topicPartition: TopicPartition
    /// The partition directory.
    public let directory: String
    let logger: Logger
    let lock = NIOLock()

    // MARK: State guarded by `lock`

    var currentConfig: LogConfig
    /// Ordered by base offset; never empty; the last one is the active segment.
    var segments: [LogSegment]
    var currentLogStartOffset: Int64
    var producerState: ProducerStateManager
    var currentFlushedOffset: Int64
    /// A segment file was created since the last flush; its directory entry needs an fsync.
    var directoryNeedsSync = false
    var isClosed = false
    var flushSyncCount = 0
    /// A compaction pass is running (at most one per log; it works outside the lock).
    var isCompacting = false
    /// What the last compaction pass saw; nil until one completes.
    var compactionCheckpoint: CompactionCheckpoint?

    init(
        topicPartition: TopicPartition, directory: String, config: LogConfig, segments: [LogSegment],
        logStartOffset: Int64, producerState: ProducerStateManager, logger: Logger
    ) {
        precondition(!segments.isEmpty, "a log has at least one segment")
        self.topicPartition = topicPartition
        self.directory = directory
        self.currentConfig = config
        self.segments = segments
        self.currentLogStartOffset = logStartOffset
        self.producerState = producerState
        self.currentFlushedOffset = segments[segments.count - 1].nextOffset
        var logger = logger
        logger[metadataKey: "partition"] = "\(topicPartition)"
        self.logger = logger
    }

    /// The segment appends go to. Call with the lock held.
    var activeSegment: LogSegment { segments[segments.count - 1] }

    // MARK: Public state

    public var topic: String { topicPartition.topic }
    public var partition: Int32 { topicPartition.partition }

    /// The settings the log runs with (persisted in `log-config.json`).
    public var config: LogConfig { lock.withLock { currentConfig } }

    /// The first offset a consumer can read. Moved forward by ``deleteRecords(before:)`` and retention.
    public var logStartOffset: Int64 { lock.withLock { currentLogStartOffset } }

    /// The offset the next appended record gets.
    public var logEndOffset: Int64 { lock.withLock { activeSegment.nextOffset } }

    /// On a single node every appended record is committed: the high watermark is the log end offset.
    public var highWatermark: Int64 { logEndOffset }

    /// Records below this offset are known to be fsynced (it is a log end offset of some earlier moment).
    public var flushedOffset: Int64 { lock.withLock { currentFlushedOffset } }

    /// How many times ``flush()`` fsynced the log (for metrics and tests of group commit).
    public var fsyncCount: Int { lock.withLock { flushSyncCount } }

    /// Total bytes of batches in all segments.
    public var sizeInBytes: Int { lock.withLock { segments.reduce(0) { $0 + $1.size } } }

    /// Base offsets of the segments, oldest first.
    public var segmentBaseOffsets: [Int64] { lock.withLock { segments.map(\.baseOffset) } }

    /// Replaces the configuration and persists it. Takes effect from the next append (segment
    /// size and age, key checks, index interval) and the next cleaner pass (cleanup policy,
    /// retention, compaction settings).
    public func updateConfig(_ config: LogConfig) throws {
        try config.validate()
        try lock.withLock {
            guard !isClosed else { throw LogStoreError.closed }
            try DurableFile.writeJSON(config, to: directory + "/" + LogFileNames.config)
            currentConfig = config
        }
    }

    // MARK: Durability

    /// Makes every record appended so far durable: fsyncs the active segment (earlier segments were
    /// fsynced when they rolled) and the directory when a segment was created since the last flush.
    ///
    /// The fsync runs outside the lock, so appends continue meanwhile; concurrent calls are safe.
    public func flush() throws {
        let (file, target, syncDirectory): (PosixFile?, Int64, Bool) = lock.withLock {
            let target = activeSegment.nextOffset
            let syncDirectory = directoryNeedsSync
            guard !isClosed, target > currentFlushedOffset || syncDirectory else { return (nil, target, false) }
            directoryNeedsSync = false
            return (activeSegment.log, target, syncDirectory)
        }
        guard let file else { return }
        do {
            try file.sync()
            if syncDirectory { try PosixFile.syncDirectory(directory) }
        } catch {
            if syncDirectory { lock.withLock { directoryNeedsSync = true } }
            logger.error("fsync failed: \(error)")
            throw error
        }
        lock.withLock {
            currentFlushedOffset = max(currentFlushedOffset, target)
            flushSyncCount += 1
        }
    }

    /// Makes every record up to `offset` durable: as ``flush()``, unless an earlier flush
    /// (group commit, say) already covered them.
    public func flush(through offset: Int64) throws {
        guard flushedOffset <= offset else { return }
        try flush()
    }

    /// Flushes everything, writes the producer-state snapshot and refuses further use. Idempotent.
    public func close() throws {
        try lock.withLock {
            guard !isClosed else { return }
            isClosed = true
            let segment = activeSegment
            try segment.log.sync()
            try segment.offsetIndex.file.sync()
            try segment.timeIndex.file.sync()
            if directoryNeedsSync { try PosixFile.syncDirectory(directory) }
            directoryNeedsSync = false
            currentFlushedOffset = segment.nextOffset
            try writeProducerSnapshot()
        }
    }

    /// Writes the producer state as of the log end offset. Call with the lock held.
    func writeProducerSnapshot() throws {
        try DurableFile.writeJSON(
            producerState.snapshot(upTo: activeSegment.nextOffset),
            to: directory + "/" + LogFileNames.producerSnapshot)
    }

    /// Writes the log start offset checkpoint. Call with the lock held.
    func writeLogStartOffsetCheckpoint(_ offset: Int64) throws {
        try DurableFile.write(Data("\(offset)\n".utf8), to: directory + "/" + LogFileNames.logStartOffsetCheckpoint)
    }

    /// Index of the segment holding `offset`: the last one whose base offset is at or below it.
    /// Call with the lock held.
    func segmentIndex(containing offset: Int64) -> Int {
        var low = 0
        var high = segments.count
        while low < high {
            let mid = (low + high) / 2
            if segments[mid].baseOffset <= offset { low = mid + 1 } else { high = mid }
        }
        return max(0, low - 1)
    }
}
