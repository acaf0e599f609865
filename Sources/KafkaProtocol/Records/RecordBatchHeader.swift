import NIOCore

/// The fixed 61-byte header of a RecordBatch (magic 2).
///
/// Layout (big-endian): baseOffset int64, batchLength int32, partitionLeaderEpoch int32,
/// magic int8, crc uint32, attributes int16, lastOffsetDelta int32, baseTimestamp int64,
/// maxTimestamp int64, producerId int64, producerEpoch int16, baseSequence int32,
/// recordCount int32. The CRC covers everything from `attributes` to the end of the batch,
/// so the broker may rewrite `baseOffset` and `partitionLeaderEpoch` without recomputing it.
public struct RecordBatchHeader: Sendable, Equatable {
    public static let size = 61
    /// Bytes before `batchLength` counts: baseOffset + batchLength.
    public static let logOverhead = 12
    public static let baseOffsetOffset = 0
    public static let partitionLeaderEpochOffset = 12
    public static let magicOffset = 16
    public static let crcOffset = 17
    public static let attributesOffset = 21
    public static let maxTimestampOffset = 35

    public var baseOffset: Int64
    /// Length of the batch after the `batchLength` field.
    public var batchLength: Int32
    public var partitionLeaderEpoch: Int32
    public var magic: Int8
    public var crc: UInt32
    public var attributes: Int16
    public var lastOffsetDelta: Int32
    public var baseTimestamp: Int64
    public var maxTimestamp: Int64
    public var producerId: Int64
    public var producerEpoch: Int16
    public var baseSequence: Int32
    public var recordCount: Int32

    /// Total size of the batch on the wire and on disk, header included.
    public var totalSize: Int { Int(batchLength) + Self.logOverhead }
    // Wrapping: header fields are untrusted and must not trap on overflow.
    public var lastOffset: Int64 { baseOffset &+ Int64(lastOffsetDelta) }
    /// Bits 0-2 of the attributes: 0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd.
    public var compressionCodecID: Int { Int(attributes & 0x07) }
    /// Bit 3: 0 CreateTime, 1 LogAppendTime.
    public var isLogAppendTime: Bool { attributes & 0x08 != 0 }
    public var isTransactional: Bool { attributes & 0x10 != 0 }
    public var isControl: Bool { attributes & 0x20 != 0 }
    public var hasProducerId: Bool { producerId >= 0 }

    /// Reads a header at `index` of `buffer` without moving its reader index.
    /// Returns nil when fewer than 61 bytes are available there.
    public init?(buffer: ByteBuffer, at index: Int) {
        guard index >= buffer.readerIndex, index + Self.size <= buffer.writerIndex else { return nil }
        func get<T: FixedWidthInteger>(_ offset: Int, _: T.Type) -> T {
            buffer.getInteger(at: index + offset, endianness: .big, as: T.self)!
        }
        baseOffset = get(0, Int64.self)
        batchLength = get(8, Int32.self)
        partitionLeaderEpoch = get(12, Int32.self)
        magic = get(16, Int8.self)
        crc = get(17, UInt32.self)
        attributes = get(21, Int16.self)
        lastOffsetDelta = get(23, Int32.self)
        baseTimestamp = get(27, Int64.self)
        maxTimestamp = get(35, Int64.self)
        producerId = get(43, Int64.self)
        producerEpoch = get(51, Int16.self)
        baseSequence = get(53, Int32.self)
        recordCount = get(57, Int32.self)
    }

    /// The CRC-32C of the batch at `index` (from attributes to the end), as it should be stored in `crc`.
    public static func computeCRC(buffer: ByteBuffer, at index: Int, totalSize: Int) -> UInt32? {
        let start = index + attributesOffset
        let length = totalSize - attributesOffset
        guard length >= 0, let view = buffer.viewBytes(at: start, length: length) else { return nil }
        return view.withUnsafeBytes { CRC32C.update(0, $0) }
    }

    /// True when the stored CRC matches the batch's bytes.
    public func hasValidCRC(buffer: ByteBuffer, at index: Int) -> Bool {
        Self.computeCRC(buffer: buffer, at: index, totalSize: totalSize) == crc
    }
}
