extension PartitionLog {
    /// Makes records below `offset` unreadable (Kafka's DeleteRecords): advances the log start
    /// offset, persists it in `log-start-offset.checkpoint`, and deletes segments that lie wholly
    /// below it. The active segment is never deleted.
    ///
    /// - Returns: the log start offset afterwards (unchanged when `offset` is not above it).
    /// - Throws: ``LogReadError/offsetOutOfRange(offset:logStartOffset:logEndOffset:)`` when
    ///   `offset` is negative or beyond the high watermark (the log end offset).
    @discardableResult
    public func deleteRecords(before offset: Int64) throws -> Int64 {
        try lock.withLock {
            guard !isClosed else { throw LogStoreError.closed }
            let logEnd = activeSegment.nextOffset
            guard offset >= 0, offset <= logEnd else {
                throw LogReadError.offsetOutOfRange(offset: offset, logStartOffset: currentLogStartOffset, logEndOffset: logEnd)
            }
            guard offset > currentLogStartOffset else { return currentLogStartOffset }
            try advanceLogStartOffset(to: offset)
            return currentLogStartOffset
        }
    }

    /// Applies retention when the cleanup policy deletes (`delete` or `compact,delete`; otherwise
    /// does nothing), with Kafka's rules:
    ///
    /// - time: the oldest closed segments whose largest timestamp is older than `now - retentionMs`
    ///   are deleted (stopping at the first one that is not);
    /// - size: then the oldest closed segments while the log (active segment included) would stay
    ///   at or above `retentionBytes` without them.
    ///
    /// The active segment is never deleted: ``rollIfAged(now:)`` (which ``clean(now:)`` runs first)
    /// closes it once it is older than `segmentMs`, so it can expire later. The log start offset
    /// moves to the first remaining segment and is checkpointed before any file is deleted.
    ///
    /// - Returns: how many segments were deleted.
    @discardableResult
    public func enforceRetention(now: Int64) throws -> Int {
        try lock.withLock {
            guard !isClosed, currentConfig.cleanupPolicy.deletes else { return 0 }
            var deletable = 0
            if let retentionMs = currentConfig.retentionMs {
                while deletable < segments.count - 1, segments[deletable].maxTimestamp < now - retentionMs {
                    deletable += 1
                }
            }
            if let retentionBytes = currentConfig.retentionBytes {
                var size = segments[deletable...].reduce(0) { $0 + Int64($1.size) }
                while deletable < segments.count - 1, size - Int64(segments[deletable].size) >= retentionBytes {
                    size -= Int64(segments[deletable].size)
                    deletable += 1
                }
            }
            guard deletable > 0 else { return 0 }
            try advanceLogStartOffset(to: max(currentLogStartOffset, segments[deletable].baseOffset))
            return deletable
        }
    }

    /// Closes the active segment when it holds data and is older than `segmentMs` (the same rule
    /// as an append's roll), so that retention and compaction, which never touch the active
    /// segment, can reach its records even when no more appends come. Returns true when it rolled.
    @discardableResult
    public func rollIfAged(now: Int64) throws -> Bool {
        try lock.withLock {
            guard !isClosed else { return false }
            let segment = activeSegment
            guard !segment.isEmpty, let since = segment.rollBaseTimestamp, now - since > currentConfig.segmentMs else {
                return false
            }
            try roll()
            return true
        }
    }

    /// One cleaner pass over this log: ``rollIfAged(now:)``, then ``enforceRetention(now:)`` and
    /// ``compact(now:)`` as the cleanup policy asks (retention first for `compact,delete`, so
    /// compaction does not rewrite segments about to be deleted).
    @discardableResult
    public func clean(now: Int64) throws -> LogCleaningResult {
        var result = LogCleaningResult()
        result.rolled = try rollIfAged(now: now)
        result.segmentsDeleted = try enforceRetention(now: now)
        result.compaction = try compact(now: now)
        return result
    }

    /// Checkpoints the new log start offset first, then deletes the segments below it, so a crash
    /// in between leaves files that the next start deletes again. Call with the lock held.
    func advanceLogStartOffset(to offset: Int64) throws {
        try writeLogStartOffsetCheckpoint(offset)
        currentLogStartOffset = offset
        deleteSegmentsBelowLogStart()
    }

    /// Deletes segments whose successor starts at or below the log start offset. Call with the lock held.
    func deleteSegmentsBelowLogStart() {
        var removed = 0
        while removed < segments.count - 1, segments[removed + 1].baseOffset <= currentLogStartOffset {
            segments[removed].deleteFiles(directory: directory)
            removed += 1
        }
        if removed > 0 {
            segments.removeFirst(removed)
            logger.info("deleted \(removed) segment(s) below log start offset \(currentLogStartOffset)")
        }
    }
}
