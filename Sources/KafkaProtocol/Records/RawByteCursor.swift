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
    ///
    /// Inlined, and built from the base address: a record reads its key, value and headers
    /// through here, and slicing would check the bounds just checked a second time.
    @inline(__always)
    mutating func readBytes(_ count: Int) -> UnsafeRawBufferPointer? {
        guard count >= 0, count <= remaining else { return nil }
        defer { index += count }
        // No base address means no bytes, and then `count` is 0.
        return UnsafeRawBufferPointer(start: bytes.baseAddress.map { $0 + index }, count: count)
    }

    /// Zigzag varint (at most 5 bytes), as ``NIOCore/ByteBuffer/readVarInt()``.
    ///
    /// Inlined with a fast path for one and two bytes: the broker reads a record's fields for
    /// every record, and all but long values' lengths are that short (a record's length and
    /// offset delta are two bytes up to 8191, its timestamp delta and header count one).
    @inline(__always)
    mutating func readVarInt() throws -> Int32 {
        if let raw = readShortVarint() {
            return Int32(raw >> 1) ^ (0 &- Int32(raw & 1))
        }
        return try readMultiByteVarInt()
    }

    /// A varint of one or two bytes, still zigzag encoded; nil (nothing consumed) for a longer
    /// one or at the end of the bytes.
    @inline(__always)
    private mutating func readShortVarint() -> UInt32? {
        guard index < bytes.endIndex else { return nil }
        let first = bytes[index]
        if first & 0x80 == 0 {
            index += 1
            return UInt32(first)
        }
        guard index + 1 < bytes.endIndex else { return nil }
        let second = bytes[index + 1]
        guard second & 0x80 == 0 else { return nil }
        index += 2
        return UInt32(first & 0x7F) | UInt32(second) << 7
    }

    private mutating func readMultiByteVarInt() throws -> Int32 {
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

    /// Zigzag varlong (at most 10 bytes), as ``NIOCore/ByteBuffer/readVarLong()``; inlined
    /// with the fast path of ``readVarInt()``.
    @inline(__always)
    mutating func readVarLong() throws -> Int64 {
        if let raw = readShortVarint() {
            return Int64(raw >> 1) ^ (0 &- Int64(raw & 1))
        }
        return try readMultiByteVarLong()
    }

    private mutating func readMultiByteVarLong() throws -> Int64 {
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
    @inline(__always)
    mutating func readNullableBytes(_ what: StaticString) throws -> UnsafeRawBufferPointer? {
        let length = try readVarInt()
        if length == -1 { return nil }
        guard length >= 0 else { throw KafkaDecodingError("invalid \(what) length \(length)") }
        guard let slice = readBytes(Int(length)) else { throw KafkaDecodingError.truncated("\(what)") }
        return slice
    }
}
