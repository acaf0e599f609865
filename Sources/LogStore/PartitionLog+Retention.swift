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

    /// Applies `retentionMs` and `retentionBytes`: deletes the oldest segments whose newest batch
    /// is older than `now - retentionMs`, then the oldest while the log is over `retentionBytes`.
    /// The active segment is kept. Returns how many segments were deleted.
    @discardableResult
    public func enforceRetention(now: Int64) throws -> Int {
        try lock.withLock {
            guard !isClosed else { return 0 }
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
