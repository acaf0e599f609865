import NIOCore

/// One record of a RecordBatch v2 as borrowed memory: the same fields as ``Record``, but
/// `key`, `value` and `headers` point into the batch's bytes and are valid only during the
/// ``RecordBatch/forEachRecordView(baseOffset:maxDecompressedSize:allocator:_:)`` call that
/// hands the view out.
///
/// ``Record`` slices a `ByteBuffer` per field, which costs reference counting and
/// exclusivity checks per record. The broker's per-record hot paths (leaf hashing for the
/// audit chain, schema validation) read each field once and keep nothing, so they use this
/// view instead; everything that keeps records uses ``Record``. This is the only record
/// parser: a ``Record`` is a view's fields sliced out of the batch's buffer.
public struct RecordView {
    /// The absolute offset: the batch's base offset plus ``offsetDelta``.
    public var offset: Int64
    /// As ``Record/timestamp``: `baseTimestamp + timestampDelta`, or the batch's
    /// `maxTimestamp` for LogAppendTime batches.
    public var timestamp: Int64
    public var offsetDelta: Int32
    public var timestampDelta: Int64
    /// Record-level attributes; unused by Kafka so far, always 0 from current clients.
    public var attributes: Int8
    /// The whole encoded record, length prefix included.
    public var rawBytes: UnsafeRawBufferPointer
    /// The key's bytes, or nil for a null key (distinct from an empty one).
    public var key: UnsafeRawBufferPointer?
    /// The value's bytes, or nil for a null value (a tombstone).
    public var value: UnsafeRawBufferPointer?
    /// Number of headers.
    public var headerCount: Int
    /// The encoded headers after the count, laid out as ``RecordHeaders/bytes``; already
    /// checked to hold exactly `headerCount` well-formed headers.
    public var headers: UnsafeRawBufferPointer

    /// Calls `body` with each header's key and value (nil for a null value), in order.
    public func forEachHeader(_ body: (_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer?) throws -> Void) rethrows {
        try RecordHeaders.forEachHeader(count: headerCount, encoded: headers, body)
    }
}

extension RecordHeaders {
    /// Calls `body` with each header's key and value (nil for a null value) read from
    /// `encoded` (the layout of ``bytes``), without copying or allocating.
    ///
    /// Meant for header bytes a record parser already checked; should they be malformed
    /// anyway, iteration ends early rather than trapping.
    public static func forEachHeader(
        count: Int, encoded: UnsafeRawBufferPointer,
        _ body: (_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer?) throws -> Void
    ) rethrows {
        var cursor = RawByteCursor(encoded)
        for _ in 0..<Swift.max(0, count) {
            guard let keyLength = try? cursor.readVarInt(), keyLength >= 0,
                  let key = cursor.readBytes(Int(keyLength)),
                  let valueLength = try? cursor.readVarInt() else { return }
            if valueLength < 0 {
                try body(key, nil)
            } else if let value = cursor.readBytes(Int(valueLength)) {
                try body(key, value)
            } else {
                return
            }
        }
    }
}

extension RecordView {
    /// Parses the record starting at `cursor`, checking that its fields fill exactly its
    /// declared length.
    ///
    /// Layout: length varint, attributes int8, timestampDelta varlong, offsetDelta varint,
    /// key (varint length, -1 for null, bytes), value (likewise), header count varint, then per
    /// header a key (varint length, UTF-8) and a value (varint length, -1 for null, bytes).
    /// All varints are zigzag encoded.
    init(reading cursor: inout RawByteCursor, in header: RecordBatchHeader, baseOffset: Int64) throws {
        let recordStart = cursor.index
        let length = try cursor.readVarInt()
        guard length >= 0, Int(length) <= cursor.remaining else {
            throw KafkaDecodingError("record length \(length) does not fit in the \(cursor.remaining) bytes left")
        }
        var body = RawByteCursor(cursor.readBytes(Int(length))!)
        rawBytes = UnsafeRawBufferPointer(rebasing: cursor.bytes[recordStart..<cursor.index])
        guard let attributes = body.readBytes(1) else { throw KafkaDecodingError.truncated("Int8") }
        self.attributes = Int8(bitPattern: attributes[0])
        timestampDelta = try body.readVarLong()
        offsetDelta = try body.readVarInt()
        key = try body.readNullableBytes("key")
        value = try body.readNullableBytes("value")
        let headerCount = try body.readVarInt()
        // Each header takes at least two bytes (two length varints): a cheap bound on a hostile count.
        guard headerCount >= 0, Int(headerCount) <= body.remaining / 2 else {
            throw KafkaDecodingError("record header count \(headerCount) is invalid for the \(body.remaining) bytes left")
        }
        let headersStart = body.index
        for _ in 0..<headerCount {
            let keyLength = try body.readVarInt()
            guard keyLength >= 0 else { throw KafkaDecodingError("negative record header key length \(keyLength)") }
            guard body.readBytes(Int(keyLength)) != nil else { throw KafkaDecodingError.truncated("record header key") }
            _ = try body.readNullableBytes("record header value")
        }
        self.headerCount = Int(headerCount)
        headers = UnsafeRawBufferPointer(rebasing: body.bytes[headersStart..<body.index])
        guard body.remaining == 0 else {
            throw KafkaDecodingError("record length \(length) leaves \(body.remaining) bytes after its fields")
        }
        // Wrapping arithmetic: header fields are untrusted and must not trap on overflow.
        offset = baseOffset &+ Int64(offsetDelta)
        timestamp = header.isLogAppendTime ? header.maxTimestamp : header.baseTimestamp &+ timestampDelta
    }
}

extension RecordBatch {
    /// Calls `body` with each record as a ``RecordView`` — borrowed memory, valid only
    /// during the call — after decompressing the batch if needed.
    ///
    /// Checks exactly what ``forEachRecord(maxDecompressedSize:allocator:_:)`` checks (both
    /// are this walk).
    ///
    /// - Parameter baseOffset: the offset of the first record, when it differs from the
    ///   header's (the log assigns offsets after the batch was received).
    /// - Throws: ``KafkaDecodingError`` for malformed records, ``CompressionError`` for a
    ///   payload that does not decompress, or whatever `body` throws.
    public func forEachRecordView(
        baseOffset: Int64? = nil,
        maxDecompressedSize: Int,
        allocator: ByteBufferAllocator = ByteBufferAllocator(),
        _ body: (RecordView) throws -> Void
    ) throws {
        try walkRecords(baseOffset: baseOffset, maxDecompressedSize: maxDecompressedSize, allocator: allocator) { view, _, _ in
            try body(view)
        }
    }

    /// Calls `body` with the records as ``RecordView``s, `chunkSize` at a time (the last chunk
    /// may be shorter), in order: for callers that work on several records at once, such as
    /// the audit chain's paired hashing, without copying views aside one by one.
    ///
    /// Checks what ``forEachRecordView(baseOffset:maxDecompressedSize:allocator:_:)`` checks.
    /// When a record does not parse, `body` first gets the records before it, then the walk's
    /// error is thrown.
    ///
    /// - Precondition: `chunkSize` > 0.
    /// - Throws: what ``forEachRecordView(baseOffset:maxDecompressedSize:allocator:_:)``
    ///   throws, or whatever `body` throws.
    public func forEachRecordViewChunk(
        baseOffset: Int64? = nil,
        maxDecompressedSize: Int,
        chunkSize: Int,
        allocator: ByteBufferAllocator = ByteBufferAllocator(),
        _ body: (UnsafeBufferPointer<RecordView>) throws -> Void
    ) throws {
        precondition(chunkSize > 0, "chunkSize must be positive")
        /// Tells `body`'s errors apart from the walk's.
        struct BodyError: Error {
            var underlying: any Error
        }
        let section = try decompressedRecordsSection(maxDecompressedSize: maxDecompressedSize, allocator: allocator)
        // Every chunk is handed over inside this scope, where the views' bytes stay valid (a
        // decompressed section lives only as long as the walk). RecordView holds only integers
        // and pointers, so the chunk needs no deinitialization.
        try section.withUnsafeReadableBytes { bytes in
            try withUnsafeTemporaryAllocation(of: RecordView.self, capacity: chunkSize) { chunk in
                var count = 0
                func deliverChunk() throws {
                    defer { count = 0 }
                    try body(UnsafeBufferPointer(rebasing: chunk[..<count]))
                }
                do {
                    try walkRecords(in: bytes, baseOffset: baseOffset) { view in
                        chunk.initializeElement(at: count, to: view)
                        count += 1
                        if count == chunkSize {
                            do { try deliverChunk() } catch { throw BodyError(underlying: error) }
                        }
                    }
                } catch let error as BodyError {
                    throw error.underlying
                } catch {
                    if count > 0 { try deliverChunk() }
                    throw error
                }
                if count > 0 { try deliverChunk() }
            }
        }
    }

    /// The one record walk: decompresses the records section, parses each record and checks
    /// that the batch holds exactly `recordCount` of them, with offset deltas increasing and
    /// within `lastOffsetDelta`, and nothing after the last. `body` also gets the section the
    /// view points into and the address of its first readable byte (to slice it, see ``Record``).
    func walkRecords(
        baseOffset: Int64?,
        maxDecompressedSize: Int,
        allocator: ByteBufferAllocator,
        _ body: (RecordView, _ section: ByteBuffer, _ sectionStart: UnsafeRawPointer?) throws -> Void
    ) throws {
        let section = try decompressedRecordsSection(maxDecompressedSize: maxDecompressedSize, allocator: allocator)
        try section.withUnsafeReadableBytes { bytes in
            try walkRecords(in: bytes, baseOffset: baseOffset) { try body($0, section, bytes.baseAddress) }
        }
    }

    /// The walk over the (decompressed) records section's bytes; the views point into them.
    private func walkRecords(in bytes: UnsafeRawBufferPointer, baseOffset: Int64?, _ body: (RecordView) throws -> Void) throws {
        let header = self.header
        let expected = header.recordCount
        guard expected >= 0 else { throw KafkaDecodingError("negative record count \(expected)") }
        let base = baseOffset ?? header.baseOffset
        var cursor = RawByteCursor(bytes)
        var previousOffsetDelta: Int32 = -1
        var parsed: Int32 = 0
        while parsed < expected {
            guard cursor.remaining > 0 else {
                throw KafkaDecodingError("batch declares \(expected) records but holds \(parsed)")
            }
            let record = try RecordView(reading: &cursor, in: header, baseOffset: base)
            guard record.offsetDelta > previousOffsetDelta, record.offsetDelta <= header.lastOffsetDelta else {
                throw KafkaDecodingError("record offsetDelta \(record.offsetDelta) out of order or beyond lastOffsetDelta \(header.lastOffsetDelta)")
            }
            previousOffsetDelta = record.offsetDelta
            parsed += 1
            try body(record)
        }
        guard cursor.remaining == 0 else {
            throw KafkaDecodingError("\(cursor.remaining) bytes follow the batch's \(expected) declared records")
        }
    }
}
