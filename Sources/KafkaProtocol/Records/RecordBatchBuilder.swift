import NIOCore

/// Builds one RecordBatch v2, for internal topics and tests.
///
/// Records are encoded as they are appended into a single growing buffer; ``build(allocator:)``
/// then derives the header fields (`lastOffsetDelta`, `baseTimestamp`, `maxTimestamp`,
/// `recordCount`), compresses the records section and writes the CRC.
///
/// ```swift
/// var builder = RecordBatchBuilder(baseOffset: 0, compression: .zstd)
/// builder.append(key: ByteBuffer(string: "k"), value: ByteBuffer(string: "v"), timestamp: now)
/// let batch = try builder.build()
/// ```
public struct RecordBatchBuilder: Sendable {
    public var baseOffset: Int64
    public var partitionLeaderEpoch: Int32
    public var producerId: Int64
    public var producerEpoch: Int16
    public var baseSequence: Int32
    public var isTransactional: Bool
    public var isControl: Bool
    public var compression: CompressionCodec
    public var timestampType: TimestampType

    /// The encoded records, uncompressed.
    private var encodedRecords: ByteBuffer
    private var baseTimestamp: Int64 = -1
    private var maxTimestamp: Int64 = -1
    private var lastOffsetDelta: Int32 = -1
    /// Number of records appended so far.
    public private(set) var count: Int32 = 0

    public init(
        baseOffset: Int64 = 0,
        partitionLeaderEpoch: Int32 = -1,
        producerId: Int64 = -1,
        producerEpoch: Int16 = -1,
        baseSequence: Int32 = -1,
        isTransactional: Bool = false,
        isControl: Bool = false,
        compression: CompressionCodec = .none,
        timestampType: TimestampType = .createTime,
        allocator: ByteBufferAllocator = ByteBufferAllocator()
    ) {
        self.baseOffset = baseOffset
        self.partitionLeaderEpoch = partitionLeaderEpoch
        self.producerId = producerId
        self.producerEpoch = producerEpoch
        self.baseSequence = baseSequence
        self.isTransactional = isTransactional
        self.isControl = isControl
        self.compression = compression
        self.timestampType = timestampType
        self.encodedRecords = allocator.buffer(capacity: 1024)
    }

    /// Appends one record.
    ///
    /// The first record's timestamp becomes the batch's `baseTimestamp`; later ones are
    /// stored as deltas to it (negative deltas are fine). For ``TimestampType/logAppendTime``
    /// pass the append time: it becomes the batch's `maxTimestamp`, which readers report.
    ///
    /// - Parameter offsetDelta: the record's offset relative to `baseOffset`; by default the
    ///   next one. Explicit deltas (e.g. rewriting a compacted batch) must increase strictly.
    public mutating func append(
        key: ByteBuffer?,
        value: ByteBuffer?,
        headers: [RecordHeader] = [],
        timestamp: Int64,
        offsetDelta: Int32? = nil
    ) {
        let delta = offsetDelta ?? (lastOffsetDelta + 1)
        precondition(delta > lastOffsetDelta, "record offsetDelta \(delta) must exceed the previous \(lastOffsetDelta)")
        if count == 0 {
            baseTimestamp = timestamp
            maxTimestamp = timestamp
        } else {
            maxTimestamp = max(maxTimestamp, timestamp)
        }
        let timestampDelta = timestamp &- baseTimestamp

        // The length prefix comes first, so size the body up front instead of encoding it
        // twice or moving bytes.
        var bodySize = 1 + Self.varLongSize(timestampDelta) + Self.varIntSize(delta)
        bodySize += Self.nullableBytesSize(key?.readableBytes) + Self.nullableBytesSize(value?.readableBytes)
        bodySize += Self.varIntSize(Int32(headers.count))
        for header in headers {
            bodySize += Self.nullableBytesSize(header.key.utf8.count) + Self.nullableBytesSize(header.value?.readableBytes)
        }

        encodedRecords.reserveCapacity(minimumWritableBytes: bodySize + 5)
        encodedRecords.writeVarInt(Int32(bodySize))
        encodedRecords.writeInteger(0, as: Int8.self)  // record attributes: unused
        encodedRecords.writeVarLong(timestampDelta)
        encodedRecords.writeVarInt(delta)
        writeNullableBytes(key)
        writeNullableBytes(value)
        encodedRecords.writeVarInt(Int32(headers.count))
        for header in headers {
            encodedRecords.writeVarInt(Int32(header.key.utf8.count))
            encodedRecords.writeString(header.key)
            writeNullableBytes(header.value)
        }
        lastOffsetDelta = delta
        count += 1
    }

    /// Encodes the batch: header, (compressed) records, CRC-32C.
    ///
    /// With no records appended this returns an empty buffer, as Kafka's own builder does:
    /// a v2 batch always carries at least one record when produced.
    /// - Throws: ``CompressionError`` when compression fails.
    public func build(allocator: ByteBufferAllocator = ByteBufferAllocator()) throws -> ByteBuffer {
        guard count > 0 else { return allocator.buffer(capacity: 0) }
        let section = try compression.compress(encodedRecords, allocator: allocator)
        guard section.readableBytes <= Int(Int32.max) - RecordBatch.minimumBatchLength else {
            throw CompressionError.compressionFailed(codec: compression, reason: "batch larger than 2 GiB")
        }
        var attributes = Int16(compression.rawValue)
        if timestampType == .logAppendTime { attributes |= 0x08 }
        if isTransactional { attributes |= 0x10 }
        if isControl { attributes |= 0x20 }

        var batch = allocator.buffer(capacity: RecordBatchHeader.size + section.readableBytes)
        batch.writeInteger(baseOffset, endianness: .big)
        batch.writeInteger(Int32(RecordBatch.minimumBatchLength + section.readableBytes), endianness: .big)
        batch.writeInteger(partitionLeaderEpoch, endianness: .big)
        batch.writeInteger(2, as: Int8.self)  // magic
        batch.writeInteger(0, endianness: .big, as: UInt32.self)  // CRC, filled in below
        batch.writeInteger(attributes, endianness: .big)
        batch.writeInteger(lastOffsetDelta, endianness: .big)
        batch.writeInteger(baseTimestamp, endianness: .big)
        batch.writeInteger(maxTimestamp, endianness: .big)
        batch.writeInteger(producerId, endianness: .big)
        batch.writeInteger(producerEpoch, endianness: .big)
        batch.writeInteger(baseSequence, endianness: .big)
        batch.writeInteger(count, endianness: .big)
        batch.writeImmutableBuffer(section)
        let crc = RecordBatchHeader.computeCRC(buffer: batch, at: batch.readerIndex, totalSize: batch.readableBytes)!
        batch.setInteger(crc, at: batch.readerIndex + RecordBatchHeader.crcOffset, endianness: .big)
        return batch
    }

    private mutating func writeNullableBytes(_ bytes: ByteBuffer?) {
        guard let bytes else {
            encodedRecords.writeVarInt(-1)
            return
        }
        encodedRecords.writeVarInt(Int32(bytes.readableBytes))
        encodedRecords.writeImmutableBuffer(bytes)
    }

    private static func nullableBytesSize(_ length: Int?) -> Int {
        guard let length else { return varIntSize(-1) }
        return varIntSize(Int32(length)) + length
    }

    /// Encoded size of a zigzag varint.
    static func varIntSize(_ value: Int32) -> Int {
        unsignedVarSize(UInt64(UInt32(bitPattern: (value << 1) ^ (value >> 31))))
    }

    /// Encoded size of a zigzag varlong.
    static func varLongSize(_ value: Int64) -> Int {
        unsignedVarSize(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    private static func unsignedVarSize(_ value: UInt64) -> Int {
        // 7 payload bits per byte; zero still takes one byte.
        max(1, (64 - value.leadingZeroBitCount + 6) / 7)
    }
}
