/// A read position in borrowed bytes, for parsers that must not allocate or count
/// references per field (see ``RecordView``). Every read checks its bounds and reports a
/// shortfall as nil or a ``KafkaDecodingError``, never by trapping.
struct RawByteCursor {
    let bytes: UnsafeRawBufferPointer
    private(set) var index: Int

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
        index = bytes.startIndex
    }

    var remaining: Int { bytes.endIndex - index }

    mutating func skip(_ count: Int) {
        index += count
    }

    /// The next `count` bytes, or nil (and nothing consumed) when fewer remain.
    mutating func readBytes(_ count: Int) -> UnsafeRawBufferPointer? {
        guard count >= 0, count <= remaining else { return nil }
        defer { index += count }
        return UnsafeRawBufferPointer(rebasing: bytes[index..<index + count])
    }

    /// Zigzag varint (at most 5 bytes), as ``NIOCore/ByteBuffer/readVarInt()``.
    mutating func readVarInt() throws -> Int32 {
        var result: UInt32 = 0
        var shift: UInt32 = 0
        while true {
            guard index < bytes.endIndex else { throw KafkaDecodingError.truncated("varint") }
            let byte = bytes[index]
            index += 1
            if shift == 28 && byte & 0xF0 != 0 { throw KafkaDecodingError("varint longer than 5 bytes") }
            result |= UInt32(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return Int32(bitPattern: (result >> 1) ^ (0 &- (result & 1))) }
            shift += 7
        }
    }

    /// Zigzag varlong (at most 10 bytes), as ``NIOCore/ByteBuffer/readVarLong()``.
    mutating func readVarLong() throws -> Int64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard index < bytes.endIndex else { throw KafkaDecodingError.truncated("varlong") }
            let byte = bytes[index]
            index += 1
            if shift == 63 && byte & 0xFE != 0 { throw KafkaDecodingError("varlong longer than 10 bytes") }
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return Int64(bitPattern: (result >> 1) ^ (0 &- (result & 1))) }
            shift += 7
        }
    }

    /// A varint length then that many bytes; length -1 is null.
    mutating func readNullableBytes(_ what: String) throws -> UnsafeRawBufferPointer? {
        let length = try readVarInt()
        if length == -1 { return nil }
        guard length >= 0 else { throw KafkaDecodingError("invalid \(what) length \(length)") }
        guard let slice = readBytes(Int(length)) else { throw KafkaDecodingError.truncated(what) }
        return slice
    }
}
