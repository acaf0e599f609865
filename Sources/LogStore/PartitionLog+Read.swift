import KafkaProtocol
import NIOCore

extension PartitionLog {
    /// A segment's file and the range to scan, captured under the lock and used outside it.
    struct SegmentView {
        var file: PosixFile
        var baseOffset: Int64
        var scanFrom: Int
        var size: Int
    }

    /// Where a wanted batch is: the file, its position, its header, and the end of whole batches.
    struct BatchLocation {
        var file: PosixFile
        var position: Int
        var header: RecordBatchHeader
        var segmentEnd: Int
    }

    /// Reads whole batches starting with the batch that contains `offset`.
    ///
    /// Batches are added while they fit in `maxBytes`, but the first one is always returned whole
    /// even when it is larger (Kafka's rule, so a large batch cannot block a consumer). A read
    /// never crosses a segment boundary; the consumer simply fetches again.
    ///
    /// - Returns: the batches, or an empty buffer when `offset` is the log end offset.
    /// - Throws: ``LogReadError/offsetOutOfRange(offset:logStartOffset:logEndOffset:)`` when
    ///   `offset` is below the log start offset or above the log end offset.
    public func read(from offset: Int64, maxBytes: Int, allocator: ByteBufferAllocator = ByteBufferAllocator()) throws -> ByteBuffer {
        guard let location = try locateBatch(containing: offset) else { return allocator.buffer(capacity: 0) }
        let window = min(max(maxBytes, location.header.totalSize), location.segmentEnd - location.position)
        var buffer = allocator.buffer(capacity: window)
        try location.file.read(into: &buffer, at: location.position, length: window)
        // Keep whole batches only: walk the headers in memory and cut after the last complete one.
        var kept = 0
        while buffer.readableBytes - kept >= RecordBatchHeader.logOverhead {
            let length = Int(buffer.getInteger(at: buffer.readerIndex + kept + 8, endianness: .big, as: Int32.self)!)
            let size = length + RecordBatchHeader.logOverhead
            guard length >= 0, size <= buffer.readableBytes - kept else { break }
            kept += size
        }
        buffer.moveWriterIndex(to: buffer.readerIndex + kept)
        return buffer
    }

    /// Like ``read(from:maxBytes:allocator:)`` but returns where the bytes are instead of reading
    /// them, for zero-copy sends. Finding the end of whole batches reads only their headers.
    /// Returns nil when `offset` is the log end offset.
    public func locate(offset: Int64, maxBytes: Int) throws -> LogSlice? {
        guard let location = try locateBatch(containing: offset) else { return nil }
        var scanner = BatchScanner(file: location.file, from: location.position, end: location.segmentEnd)
        var length = 0
        while case let .batch(header, position) = try scanner.next() {
            let extended = position + header.totalSize - location.position
            guard length == 0 || extended <= maxBytes else { break }
            length = extended
        }
        return LogSlice(file: location.file, position: location.position, length: length)
    }

    /// The first record whose timestamp is at or after `timestamp`, and that timestamp: the time
    /// index finds the batch, which is then decoded. Returns nil when no record is that new
    /// (ListOffsets answers -1).
    public func offset(forTimestamp timestamp: Int64) throws -> (offset: Int64, timestamp: Int64)? {
        var (view, logStart): (SegmentView?, Int64) = try lock.withLock {
            guard !isClosed else { throw LogStoreError.closed }
            return (segmentView(forTimestamp: timestamp, after: nil), currentLogStartOffset)
        }
        while let current = view {
            var scanner = BatchScanner(file: current.file, from: current.scanFrom, end: current.size)
            while case let .batch(header, _) = try scanner.next() {
                if header.maxTimestamp >= timestamp, header.lastOffset >= logStart {
                    return try firstRecord(inBatchAt: max(header.baseOffset, logStart), atOrAfter: timestamp, logStart: logStart)
                        ?? (max(header.baseOffset, logStart), header.maxTimestamp)
                }
            }
            view = lock.withLock { segmentView(forTimestamp: timestamp, after: current.baseOffset) }
        }
        return nil
    }

    /// Kafka answers a timestamp lookup with the exact record, not its batch, so decode the
    /// one batch the index led to. Records may carry timestamps out of order.
    private func firstRecord(inBatchAt offset: Int64, atOrAfter timestamp: Int64, logStart: Int64) throws -> (offset: Int64, timestamp: Int64)? {
        let bytes = try read(from: offset, maxBytes: 1)
        guard let batch = try RecordBatch.batches(in: bytes, verifyCRC: false).first else { return nil }
        var found: (offset: Int64, timestamp: Int64)?
        try batch.forEachRecord(maxDecompressedSize: 256 << 20) { record in
            if found == nil, record.timestamp >= timestamp, record.offset >= logStart {
                found = (record.offset, record.timestamp)
            }
        }
        return found
    }

    /// The record holding the largest timestamp in the log (ListOffsets timestamp -3, KIP-734):
    /// its offset and timestamp. Returns nil for an empty log.
    public func maxTimestampEntry() throws -> (offset: Int64, timestamp: Int64)? {
        let maxTimestamp = lock.withLock { segments.map(\.maxTimestamp).max() ?? -1 }
        guard maxTimestamp >= 0 else { return nil }
        return try offset(forTimestamp: maxTimestamp)
    }

    /// The earliest readable offset (ListOffsets timestamp -2).
    public var earliestOffset: Int64 { logStartOffset }

    /// The offset after the last record (ListOffsets timestamp -1).
    public var latestOffset: Int64 { logEndOffset }

    /// Finds the batch holding `offset` (or the first one after it, across gaps). Checks the range.
    func locateBatch(containing offset: Int64) throws -> BatchLocation? {
        var view: SegmentView? = try lock.withLock {
            guard !isClosed else { throw LogStoreError.closed }
            let logEnd = activeSegment.nextOffset
            guard offset >= currentLogStartOffset, offset <= logEnd else {
                throw LogReadError.offsetOutOfRange(offset: offset, logStartOffset: currentLogStartOffset, logEndOffset: logEnd)
            }
            guard offset < logEnd else { return nil }
            let segment = segments[segmentIndex(containing: offset)]
            return SegmentView(
                file: segment.log, baseOffset: segment.baseOffset,
                scanFrom: segment.startPosition(for: offset), size: segment.size)
        }
        while let current = view {
            var scanner = BatchScanner(file: current.file, from: current.scanFrom, end: current.size)
            while case let .batch(header, position) = try scanner.next() {
                if header.lastOffset >= offset {
                    return BatchLocation(file: current.file, position: position, header: header, segmentEnd: current.size)
                }
            }
            // Past this segment's last batch: the offset falls in a gap, so take the next segment's first batch.
            view = lock.withLock {
                segments.first { $0.baseOffset > current.baseOffset }.map {
                    SegmentView(file: $0.log, baseOffset: $0.baseOffset, scanFrom: 0, size: $0.size)
                }
            }
        }
        return nil
    }

    /// The first segment after `after` (or the first overall) whose max timestamp reaches
    /// `timestamp`, with the scan starting at its time-index entry. Call with the lock held.
    private func segmentView(forTimestamp timestamp: Int64, after: Int64?) -> SegmentView? {
        guard let segment = segments.first(where: { ($0.baseOffset > (after ?? Int64.min)) && $0.maxTimestamp >= timestamp })
        else { return nil }
        var scanFrom = 0
        if let entry = segment.timeIndex.lookup(before: timestamp) {
            scanFrom = segment.offsetIndex.lookup(relativeOffset: entry.relativeOffset).map { Int($0.position) } ?? 0
        }
        return SegmentView(file: segment.log, baseOffset: segment.baseOffset, scanFrom: scanFrom, size: segment.size)
    }
}
