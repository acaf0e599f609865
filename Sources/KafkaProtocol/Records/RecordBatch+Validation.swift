import NIOCore

extension RecordBatch {
    /// Walks a Produce request's `records` blob (one or more concatenated batches) and
    /// checks each batch's framing: magic 2, a sane `batchLength` that fits, a known
    /// compression codec, a non-negative record count, and a valid CRC-32C.
    ///
    /// Records themselves are not decoded: the broker stores batches as produced.
    /// An empty blob yields no headers.
    ///
    /// - Returns: the header of every batch, in order.
    /// - Throws: ``RecordBatchError``; its ``RecordBatchError/errorCode`` is the Kafka error
    ///   to return (CORRUPT_MESSAGE for damage, INVALID_RECORD for magic 0/1 message sets).
    public static func validateBatches(_ records: ByteBuffer) throws(RecordBatchError) -> [RecordBatchHeader] {
        var headers: [RecordBatchHeader] = []
        var index = records.readerIndex
        while index < records.writerIndex {
            let header = try checkBatch(in: records, at: index, batchIndex: headers.count, verifyCRC: true)
            headers.append(header)
            index += header.totalSize
        }
        return headers
    }

    /// Splits a blob of concatenated batches into ``RecordBatch`` values (zero-copy slices),
    /// with the same checks as ``validateBatches(_:)``.
    ///
    /// - Parameter verifyCRC: pass false for bytes already verified.
    public static func batches(in records: ByteBuffer, verifyCRC: Bool = true) throws(RecordBatchError) -> [RecordBatch] {
        var batches: [RecordBatch] = []
        var index = records.readerIndex
        while index < records.writerIndex {
            let header = try checkBatch(in: records, at: index, batchIndex: batches.count, verifyCRC: verifyCRC)
            batches.append(RecordBatch(header: header, bytes: records.getSlice(at: index, length: header.totalSize)!))
            index += header.totalSize
        }
        return batches
    }

    /// Checks the framing of the batch starting at `index` of `buffer` and returns its header.
    static func checkBatch(in buffer: ByteBuffer, at index: Int, batchIndex: Int, verifyCRC: Bool) throws(RecordBatchError) -> RecordBatchHeader {
        let available = buffer.writerIndex - index
        // The magic byte sits at offset 16 in every message format version, so legacy
        // message sets are recognised (and refused by name) before their lengths are judged.
        guard available > RecordBatchHeader.magicOffset,
              let magic = buffer.getInteger(at: index + RecordBatchHeader.magicOffset, as: Int8.self) else {
            throw .truncated(batchIndex: batchIndex, needed: RecordBatchHeader.size, available: available)
        }
        switch magic {
        case 2: break
        case 0, 1: throw .unsupportedMagic(batchIndex: batchIndex, magic: magic)
        default: throw .invalidMagic(batchIndex: batchIndex, magic: magic)
        }
        guard let header = RecordBatchHeader(buffer: buffer, at: index) else {
            throw .truncated(batchIndex: batchIndex, needed: RecordBatchHeader.size, available: available)
        }
        guard Int(header.batchLength) >= minimumBatchLength else {
            throw .invalidBatchLength(batchIndex: batchIndex, batchLength: header.batchLength)
        }
        guard header.totalSize <= available else {
            throw .truncated(batchIndex: batchIndex, needed: header.totalSize, available: available)
        }
        // The CRC covers the attributes and the record count, so check it before judging them:
        // a flipped bit there is corruption, not an unsupported feature.
        if verifyCRC {
            let computed = RecordBatchHeader.computeCRC(buffer: buffer, at: index, totalSize: header.totalSize)
            guard computed == header.crc else {
                throw .crcMismatch(batchIndex: batchIndex, stored: header.crc, computed: computed ?? 0)
            }
        }
        guard CompressionCodec(attributes: header.attributes) != nil else {
            throw .unsupportedCompression(batchIndex: batchIndex, codecID: header.compressionCodecID)
        }
        guard header.recordCount >= 0 else {
            throw .invalidHeader(batchIndex: batchIndex, reason: "negative record count \(header.recordCount)")
        }
        return header
    }
}
