import NIOCore

/// One RecordBatch v2: its parsed header and its bytes, exactly `header.totalSize` of them.
///
/// Records are decoded on demand (``forEachRecord(maxDecompressedSize:allocator:_:)``),
/// decompressing the records section first when the batch is compressed. The batch bytes
/// themselves are never modified, so a batch can be stored and served exactly as produced.
public struct RecordBatch: Sendable {
    /// Smallest valid `batchLength`: the 61-byte header minus baseOffset and batchLength.
    public static let minimumBatchLength = RecordBatchHeader.size - RecordBatchHeader.logOverhead

    public let header: RecordBatchHeader
    /// The whole batch, header included.
    public let bytes: ByteBuffer

    /// Wraps a buffer holding exactly one batch.
    ///
    /// - Parameter verifyCRC: pass false for bytes already verified (e.g. read back from
    ///   the log after recovery) to skip the checksum pass.
    /// - Throws: ``RecordBatchError`` when the bytes are not one structurally valid v2 batch.
    public init(bytes: ByteBuffer, verifyCRC: Bool = true) throws(RecordBatchError) {
        let header = try Self.checkBatch(in: bytes, at: bytes.readerIndex, batchIndex: 0, verifyCRC: verifyCRC)
        guard header.totalSize == bytes.readableBytes else {
            throw .truncated(batchIndex: 1, needed: RecordBatchHeader.logOverhead, available: bytes.readableBytes - header.totalSize)
        }
        self.init(header: header, bytes: bytes)
    }

    /// Wraps an already-checked header and its bytes.
    init(header: RecordBatchHeader, bytes: ByteBuffer) {
        self.header = header
        self.bytes = bytes
    }

    /// The codec of the records section; nil for the unassigned ids 5-7.
    public var compression: CompressionCodec? { CompressionCodec(attributes: header.attributes) }

    public var timestampType: TimestampType { TimestampType(attributes: header.attributes) }

    /// The records section as stored: everything after the 61-byte header, possibly compressed.
    public var recordsSection: ByteBuffer {
        bytes.getSlice(at: bytes.readerIndex + RecordBatchHeader.size, length: header.totalSize - RecordBatchHeader.size)!
    }

    /// The records section, decompressed when the batch is compressed (a slice, no copy, when not).
    ///
    /// - Throws: ``CompressionError`` (corrupt payload, or more than `maxDecompressedSize`
    ///   bytes), or ``KafkaDecodingError`` for an unknown codec id.
    public func decompressedRecordsSection(maxDecompressedSize: Int, allocator: ByteBufferAllocator = ByteBufferAllocator()) throws -> ByteBuffer {
        guard let codec = compression else {
            throw KafkaDecodingError("unknown compression codec id \(header.compressionCodecID)")
        }
        let section = recordsSection
        // Batches emptied by compaction keep their header but have no records section,
        // whatever codec their attributes name.
        if codec == .none || (section.readableBytes == 0 && header.recordCount == 0) {
            return section
        }
        return try codec.decompress(section, maxOutputSize: maxDecompressedSize, allocator: allocator)
    }

    /// Calls `body` with each record in order, after decompressing the batch if needed.
    ///
    /// Checks that the batch holds exactly `recordCount` well-formed records, that offset
    /// deltas increase and stay within `lastOffsetDelta`, and that nothing follows the last
    /// record. Records are handed out as they are parsed, so `body` may already have seen
    /// some records when a later one turns out to be malformed; use
    /// ``records(maxDecompressedSize:allocator:)`` to get all or nothing.
    ///
    /// - Parameter maxDecompressedSize: the most bytes decompression may produce (a
    ///   decompression-bomb guard); ignored for uncompressed batches.
    /// - Throws: ``KafkaDecodingError`` for malformed records, ``CompressionError`` for a
    ///   payload that does not decompress, or whatever `body` throws.
    public func forEachRecord(
        maxDecompressedSize: Int,
        allocator: ByteBufferAllocator = ByteBufferAllocator(),
        _ body: (Record) throws -> Void
    ) throws {
        try walkRecords(baseOffset: nil, maxDecompressedSize: maxDecompressedSize, allocator: allocator) { view, section, start in
            try body(Record(view, in: section, sectionStart: start))
        }
    }

    /// All records of the batch; throws without returning any when one is malformed.
    ///
    /// - Throws: as ``forEachRecord(maxDecompressedSize:allocator:_:)``.
    public func records(maxDecompressedSize: Int, allocator: ByteBufferAllocator = ByteBufferAllocator()) throws -> [Record] {
        var records: [Record] = []
        // Reserve for the declared count, but never more entries than the batch has bytes:
        // recordCount is untrusted.
        records.reserveCapacity(max(0, min(Int(header.recordCount), header.totalSize)))
        try forEachRecord(maxDecompressedSize: maxDecompressedSize, allocator: allocator) { records.append($0) }
        return records
    }
}
