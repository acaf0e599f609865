import KafkaProtocol
import NIOCore

extension PartitionLog {
    /// What a compaction pass captured under the lock and then works on outside it.
    private struct CompactionPlan {
        var config: LogConfig
        /// Every segment with its size at planning time, the active one included: the key map
        /// covers the whole log, so a newer value anywhere supersedes older ones.
        var segments: [(segment: LogSegment, size: Int)]
        /// The first `cleanableCount` segments are rewritten: closed, and old enough for
        /// `min.compaction.lag.ms`.
        var cleanableCount: Int
        var logEndOffset: Int64
        var activeBaseOffset: Int64
        /// When the first uncleanable closed segment passes `min.compaction.lag.ms`.
        var lagDue: Int64
    }

    /// Compacts the closed segments (cleanup policy `compact` or `compact,delete`; otherwise
    /// does nothing): keeps only the latest record of each key, removes tombstones older than
    /// `delete.retention.ms`, never changes an offset. See ``SegmentCompactor`` for the rules.
    ///
    /// Cleanable segments are the closed ones up to the first whose newest record is younger
    /// than `min.compaction.lag.ms` (Kafka's "first uncleanable offset"); the active segment is
    /// never rewritten. The key map and the rewritten copies are built without holding the log's
    /// lock, so produce and fetch continue; each copy is swapped in under the lock with the
    /// crash-safe `.cleaned` → `.swap` → `.log` renames (see ``LogSegment/commitSwap(directory:baseOffset:)``).
    /// A segment left with no records is removed, except the first one, which stays (empty) so
    /// that the log start offset does not move. Readers holding a replaced segment's file keep
    /// reading the old copy.
    ///
    /// A pass is skipped when nothing changed since the previous one (see ``CompactionCheckpoint``).
    ///
    /// - Parameter now: the cleaner's clock in milliseconds (lag and tombstone horizon).
    /// - Returns: what was removed; all zero when nothing was to do.
    @discardableResult
    public func compact(now: Int64) throws -> CompactionResult {
        let plan: CompactionPlan? = try lock.withLock {
            guard !isClosed else { throw LogStoreError.closed }
            let config = currentConfig
            guard config.cleanupPolicy.compacts, !isCompacting else { return nil }
            let logEnd = activeSegment.nextOffset
            let activeBase = activeSegment.baseOffset
            if let previous = compactionCheckpoint, previous.logEndOffset == logEnd,
               previous.activeBaseOffset == activeBase, previous.config == config, now < previous.nextDue {
                return nil
            }
            var cleanable = 0
            while cleanable < segments.count - 1,
                  CompactionCheckpoint.saturatingAdd(segments[cleanable].maxTimestamp, config.minCompactionLagMs) <= now {
                cleanable += 1
            }
            let lagDue = cleanable < segments.count - 1
                ? CompactionCheckpoint.saturatingAdd(segments[cleanable].maxTimestamp, config.minCompactionLagMs)
                : Int64.max
            isCompacting = true
            return CompactionPlan(
                config: config, segments: segments.map { ($0, $0.size) }, cleanableCount: cleanable,
                logEndOffset: logEnd, activeBaseOffset: activeBase, lagDue: lagDue)
        }
        guard let plan else { return CompactionResult() }
        defer { lock.withLock { isCompacting = false } }

        var result = CompactionResult()
        var nextDue = plan.lagDue
        if plan.cleanableCount > 0 {
            var map = KeyOffsetMap()
            for (segment, size) in plan.segments { try map.add(file: segment.log, end: size) }
            let compactor = SegmentCompactor(
                directory: directory, map: map, tombstoneHorizon: now - plan.config.deleteRetentionMs,
                deleteRetentionMs: plan.config.deleteRetentionMs, indexInterval: plan.config.indexIntervalBytes,
                logger: logger)
            for (segment, size) in plan.segments.prefix(plan.cleanableCount) {
                let outcome = try compactor.clean(baseOffset: segment.baseOffset, file: segment.log, size: size)
                if let expiry = outcome.nextTombstoneExpiry { nextDue = min(nextDue, expiry) }
                guard let cleaned = outcome.cleaned else { continue }
                if try swapIn(cleaned, replacing: segment, indexInterval: plan.config.indexIntervalBytes) {
                    result.segmentsCleaned += 1
                    result.recordsRemoved += outcome.recordsRemoved
                    result.tombstonesRemoved += outcome.tombstonesRemoved
                    result.bytesBefore += size
                    result.bytesAfter += cleaned.size
                }
            }
        }
        lock.withLock {
            compactionCheckpoint = CompactionCheckpoint(
                logEndOffset: plan.logEndOffset, activeBaseOffset: plan.activeBaseOffset, config: plan.config, nextDue: nextDue)
        }
        if result.segmentsCleaned > 0 {
            logger.info("compacted \(result.segmentsCleaned) segment(s): \(result.recordsRemoved) superseded record(s) and \(result.tombstonesRemoved) tombstone(s) removed, \(result.bytesBefore) → \(result.bytesAfter) bytes")
        }
        return result
    }

    /// Replaces `old` with its compacted copy `cleaned` (sealed `.cleaned` files), under the lock.
    /// Returns false, discarding the copy, when `old` is no longer a closed segment of the log
    /// (deleted by retention or DeleteRecords meanwhile) or the log was closed.
    private func swapIn(_ cleaned: LogSegment, replacing old: LogSegment, indexInterval: Int) throws -> Bool {
        try lock.withLock {
            guard !isClosed, let index = segments.firstIndex(where: { $0 === old }), index < segments.count - 1 else {
                LogSegment.discardCleaned(directory: directory, baseOffset: old.baseOffset)
                return false
            }
            if cleaned.isEmpty && index > 0 {
                // Nothing survived: drop the segment. Reads already skip gaps to the next segment.
                LogSegment.discardCleaned(directory: directory, baseOffset: old.baseOffset)
                old.deleteFiles(directory: directory)
                try PosixFile.syncDirectory(directory)
                segments[index - 1].nextOffset = old.nextOffset
                segments.remove(at: index)
                return true
            }
            try LogSegment.commitSwap(directory: directory, baseOffset: old.baseOffset)
            try LogSegment.finishSwap(directory: directory, baseOffset: old.baseOffset)
            // The copy's indexes were written and fsynced with it, so this only reads them back.
            let reopened = try LogSegment.open(
                directory: directory, baseOffset: old.baseOffset, indexInterval: indexInterval, mode: .sealed, logger: logger)
            reopened.nextOffset = old.nextOffset
            segments[index] = reopened
            return true
        }
    }
}
