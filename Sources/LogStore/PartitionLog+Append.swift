import KafkaProtocol
import NIOCore

extension PartitionLog {
    /// The partition leader epoch stamped into every batch: a single node is always leader epoch 0.
    static let leaderEpoch: Int32 = 0

    /// Appends one or more RecordBatch v2 batches, concatenated as a Produce request carries them.
    ///
    /// The caller (the broker) has validated the batches, CRC included; the log checks only what it
    /// relies on itself (header lengths, magic, offset deltas, `maxMessageBytes`) and the idempotent
    /// producer rules (see ``ProducerStateManager``). Offsets are assigned by rewriting each batch's
    /// base offset in place. All batches go to the active segment with one `pwrite`, not fsynced.
    /// The work is per batch, never per record, except on a compacted log: there every record
    /// must have a key, so the batches are decoded first (outside the lock) to check that.
    ///
    /// - Parameters:
    ///   - batches: the batches; copied once if the caller still holds the storage.
    ///   - now: the broker's clock in milliseconds (segment age, log append time).
    ///   - logAppendTime: stamp `now` into each batch as its timestamp (LogAppendTime topics);
    ///     this changes bytes the CRC covers, so the CRC is recomputed for those batches.
    /// - Returns: the offsets assigned, or for a retried idempotent batch the original offsets
    ///   with `isDuplicate` set (when one batch of several is a retry, the whole append is answered
    ///   as that retry, as Kafka does; Produce v3+ carries one batch per partition anyway).
    /// - Throws: ``LogAppendError`` for refused data (``LogAppendError/keylessRecordOnCompactedTopic``
    ///   for a record without a key when the cleanup policy compacts), ``LogStoreError`` for I/O failures or a closed log.
    @discardableResult
    public func append(_ batches: ByteBuffer, now: Int64, logAppendTime: Bool = false) throws -> AppendResult {
        // Decoding is the expensive part, so it happens before taking the lock. A config change
        // racing with this append applies from the next one, as for every other setting.
        try validateKeysIfCompacted(batches)
        var buffer = batches
        return try lock.withLock {
            guard !isClosed else { throw LogStoreError.closed }
            let start = buffer.readerIndex
            let end = buffer.writerIndex
            guard end > start else { throw LogAppendError.corruptBatch("no record batches") }
            let maxMessageBytes = currentConfig.maxMessageBytes
            let firstOffset = activeSegment.nextOffset
            var nextOffset = firstOffset
            var pending: [ProducerStateManager.Update] = []
            // A single batch without LogAppendTime (every Produce v3+ request) keeps the request's
            // bytes untouched: they share storage with the request, and patching 16 of them in
            // place would copy the whole batch. Its rewritten prefix is written from a copy instead.
            let patchInPlace = logAppendTime || RecordBatchHeader(buffer: buffer, at: start)?.totalSize != end - start

            // Pass 1: check each header, run the producer rules, assign offsets.
            var position = start
            while position < end {
                guard let header = RecordBatchHeader(buffer: buffer, at: position) else {
                    throw LogAppendError.corruptBatch("\(end - position) bytes left, less than a batch header")
                }
                guard header.magic == 2 else { throw LogAppendError.corruptBatch("magic \(header.magic), expected 2") }
                guard header.totalSize >= RecordBatchHeader.size, header.totalSize <= end - position else {
                    throw LogAppendError.corruptBatch("batch length \(header.batchLength) does not fit the request")
                }
                guard header.totalSize <= maxMessageBytes else {
                    throw LogAppendError.batchTooLarge(size: header.totalSize, maxMessageBytes: maxMessageBytes)
                }
                guard header.lastOffsetDelta >= 0 else {
                    throw LogAppendError.corruptBatch("negative lastOffsetDelta \(header.lastOffsetDelta)")
                }
                let lastOffset = nextOffset + Int64(header.lastOffsetDelta)
                let timestamp = logAppendTime ? now : header.maxTimestamp
                switch try producerState.check(
                    header, firstOffset: nextOffset, lastOffset: lastOffset, timestamp: timestamp, pending: pending)
                {
                case let .duplicate(original):
                    return AppendResult(
                        baseOffset: original.firstOffset, lastOffset: original.lastOffset,
                        logAppendTime: logAppendTime ? original.timestamp : -1,
                        logStartOffset: currentLogStartOffset, isDuplicate: true)
                case let .append(update):
                    if let update { pending.append(update) }
                }
                if patchInPlace {
                    buffer.setInteger(nextOffset, at: position + RecordBatchHeader.baseOffsetOffset, endianness: .big)
                    buffer.setInteger(Self.leaderEpoch, at: position + RecordBatchHeader.partitionLeaderEpochOffset, endianness: .big)
                }
                if logAppendTime { Self.stampLogAppendTime(now, in: &buffer, at: position, totalSize: header.totalSize) }
                nextOffset = lastOffset + 1
                position += header.totalSize
            }

            // Write: roll first if needed, then one pwrite. A failed write is cut off again so the
            // segment never keeps half an append.
            try rollIfNeeded(now: now, incomingBytes: end - start, lastOffset: nextOffset - 1)
            let segment = activeSegment
            let writePosition = segment.size
            do {
                if patchInPlace {
                    try segment.log.write(buffer, at: writePosition)
                } else {
                    try Self.writeRebased(buffer, baseOffset: firstOffset, to: segment.log, at: writePosition)
                }
            } catch {
                try? segment.log.truncate(to: writePosition)
                logger.error("append failed: \(error)")
                throw error
            }

            // Pass 2: index entries and segment bookkeeping, from the rewritten headers.
            let indexInterval = currentConfig.indexIntervalBytes
            position = start
            var batchBaseOffset = firstOffset
            while position < end {
                let size = Int(buffer.getInteger(at: position + 8, endianness: .big, as: Int32.self)!) + RecordBatchHeader.logOverhead
                let baseOffset = batchBaseOffset  // as assigned in pass 1
                let delta = buffer.getInteger(at: position + 23, endianness: .big, as: Int32.self)!
                batchBaseOffset = baseOffset + Int64(delta) + 1
                let maxTimestamp = buffer.getInteger(at: position + RecordBatchHeader.maxTimestampOffset, endianness: .big, as: Int64.self)!
                segment.didAppendBatch(
                    baseOffset: baseOffset, lastOffset: baseOffset + Int64(delta), maxTimestamp: maxTimestamp,
                    position: writePosition + position - start, size: size, indexInterval: indexInterval)
                position += size
            }
            segment.size = writePosition + end - start
            if segment.rollBaseTimestamp == nil { segment.rollBaseTimestamp = now }
            for update in pending { producerState.apply(update) }

            return AppendResult(
                baseOffset: firstOffset, lastOffset: nextOffset - 1, logAppendTime: logAppendTime ? now : -1,
                logStartOffset: currentLogStartOffset, isDuplicate: false)
        }
    }

    /// Writes the one batch in `batch` at `position` as stored: its baseOffset and
    /// partitionLeaderEpoch (outside the CRC) rewritten in a 16-byte copy of its prefix, the
    /// rest straight from the request's memory.
    private static func writeRebased(_ batch: ByteBuffer, baseOffset: Int64, to file: PosixFile, at position: Int) throws {
        let prefixSize = RecordBatchHeader.partitionLeaderEpochOffset + 4
        try batch.withUnsafeReadableBytes { bytes in
            var prefix = (baseOffset.bigEndian, Int32(0), leaderEpoch.bigEndian)
            try withUnsafeMutableBytes(of: &prefix) { prefixBytes in
                precondition(prefixBytes.count == prefixSize)
                // batchLength, unchanged
                prefixBytes.baseAddress!.advanced(by: 8).copyMemory(from: bytes.baseAddress!.advanced(by: 8), byteCount: 4)
                try file.write(UnsafeRawBufferPointer(prefixBytes), at: position)
            }
            try file.write(UnsafeRawBufferPointer(rebasing: bytes[prefixSize...]), at: position + prefixSize)
        }
    }

    /// Sets the LogAppendTime attribute and max timestamp of the batch at `position`, and its CRC.
    private static func stampLogAppendTime(_ now: Int64, in buffer: inout ByteBuffer, at position: Int, totalSize: Int) {
        let attributesAt = position + RecordBatchHeader.attributesOffset
        let attributes = buffer.getInteger(at: attributesAt, endianness: .big, as: Int16.self)!
        buffer.setInteger(attributes | 0x08, at: attributesAt, endianness: .big)
        buffer.setInteger(now, at: position + RecordBatchHeader.maxTimestampOffset, endianness: .big)
        let crc = RecordBatchHeader.computeCRC(buffer: buffer, at: position, totalSize: totalSize)!
        buffer.setInteger(crc, at: position + RecordBatchHeader.crcOffset, endianness: .big)
    }

    /// Starts a new segment when the active one would grow past `segmentBytes`, is older than
    /// `segmentMs`, or could not index `lastOffset` with a 32-bit relative offset. An empty
    /// segment never rolls. Call with the lock held.
    func rollIfNeeded(now: Int64, incomingBytes: Int, lastOffset: Int64) throws {
        let segment = activeSegment
        guard !segment.isEmpty else { return }
        let full = segment.size + incomingBytes > currentConfig.segmentBytes
        let old = segment.rollBaseTimestamp.map { now - $0 > currentConfig.segmentMs } ?? false
        let offsetsExhausted = lastOffset - segment.baseOffset > Int64(Int32.max)
        guard full || old || offsetsExhausted else { return }
        try roll()
    }

    /// Seals the active segment (final time-index entry, fsync) and starts a new one at the log
    /// end offset. Sealing synchronously means that after a crash only the last segment can be
    /// torn, so recovery validates just that one. A producer snapshot is written too, so a restart
    /// replays at most one segment's headers. Call with the lock held.
    func roll() throws {
        let old = activeSegment
        try old.seal()
        let segment = try LogSegment.create(directory: directory, baseOffset: old.nextOffset)
        segments.append(segment)
        directoryNeedsSync = true
        do {
            try writeProducerSnapshot()
        } catch {
            // Only a restart-time optimisation: without it restart replays more headers.
            logger.warning("could not write producer snapshot at roll: \(error)")
        }
        logger.debug("rolled new segment at offset \(segment.baseOffset)")
    }
}
