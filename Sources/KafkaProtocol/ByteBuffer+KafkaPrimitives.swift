import NIOCore

// Kafka's primitive types (https://kafka.apache.org/protocol#protocol_types).
// Every reader throws `KafkaDecodingError` instead of trapping, because these
// bytes come from clients we do not control.

extension ByteBuffer {
    // MARK: Fixed-width integers (big-endian)

    @inlinable
    public mutating func readKafkaInt8() throws -> Int8 {
        guard let v = readInteger(as: Int8.self) else { throw KafkaDecodingError.truncated("int8") }
        return v
    }

    @inlinable
    public mutating func readKafkaInt16() throws -> Int16 {
        guard let v = readInteger(endianness: .big, as: Int16.self) else { throw KafkaDecodingError.truncated("int16") }
        return v
    }

    @inlinable
    public mutating func readKafkaUInt16() throws -> UInt16 {
        guard let v = readInteger(endianness: .big, as: UInt16.self) else { throw KafkaDecodingError.truncated("uint16") }
        return v
    }

    @inlinable
    public mutating func readKafkaInt32() throws -> Int32 {
        guard let v = readInteger(endianness: .big, as: Int32.self) else { throw KafkaDecodingError.truncated("int32") }
        return v
    }

    @inlinable
    public mutating func readKafkaUInt32() throws -> UInt32 {
        guard let v = readInteger(endianness: .big, as: UInt32.self) else { throw KafkaDecodingError.truncated("uint32") }
        return v
    }

    @inlinable
    public mutating func readKafkaInt64() throws -> Int64 {
        guard let v = readInteger(endianness: .big, as: Int64.self) else { throw KafkaDecodingError.truncated("int64") }
        return v
    }

    @inlinable
    public mutating func readKafkaFloat64() throws -> Double {
        guard let bits = readInteger(endianness: .big, as: UInt64.self) else { throw KafkaDecodingError.truncated("float64") }
        return Double(bitPattern: bits)
    }

    @inlinable
    public mutating func readKafkaBool() throws -> Bool {
        try readKafkaInt8() != 0
    }

    @inlinable
    public mutating func writeKafkaBool(_ value: Bool) {
        writeInteger(value ? 1 : 0, as: Int8.self)
    }

    @inlinable
    public mutating func writeKafkaFloat64(_ value: Double) {
        writeInteger(value.bitPattern, endianness: .big, as: UInt64.self)
    }

    // MARK: Variable-length integers

    /// Unsigned LEB128 varint, at most 5 bytes (used by compact encodings and tagged fields).
    @inlinable
    public mutating func readUnsignedVarInt() throws -> UInt32 {
        var result: UInt32 = 0
        var shift: UInt32 = 0
        while true {
            guard let byte = readInteger(as: UInt8.self) else { throw KafkaDecodingError.truncated("varint") }
            if shift == 28 && byte & 0xF0 != 0 { throw KafkaDecodingError("varint longer than 5 bytes") }
            result |= UInt32(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
    }

    @inlinable
    public mutating func writeUnsignedVarInt(_ value: UInt32) {
        var v = value
        while v & ~0x7F != 0 {
            writeInteger(UInt8(truncatingIfNeeded: v & 0x7F | 0x80))
            v >>= 7
        }
        writeInteger(UInt8(truncatingIfNeeded: v))
    }

    /// Unsigned LEB128 varlong, at most 10 bytes.
    @inlinable
    public mutating func readUnsignedVarLong() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard let byte = readInteger(as: UInt8.self) else { throw KafkaDecodingError.truncated("varlong") }
            if shift == 63 && byte & 0xFE != 0 { throw KafkaDecodingError("varlong longer than 10 bytes") }
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
    }

    @inlinable
    public mutating func writeUnsignedVarLong(_ value: UInt64) {
        var v = value
        while v & ~0x7F != 0 {
            writeInteger(UInt8(truncatingIfNeeded: v & 0x7F | 0x80))
            v >>= 7
        }
        writeInteger(UInt8(truncatingIfNeeded: v))
    }

    /// Zigzag-encoded signed varint (record fields inside a RecordBatch).
    @inlinable
    public mutating func readVarInt() throws -> Int32 {
        let raw = try readUnsignedVarInt()
        return Int32(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    @inlinable
    public mutating func writeVarInt(_ value: Int32) {
        writeUnsignedVarInt(UInt32(bitPattern: (value << 1) ^ (value >> 31)))
    }

    /// Zigzag-encoded signed varlong (record offset and timestamp deltas).
    @inlinable
    public mutating func readVarLong() throws -> Int64 {
        let raw = try readUnsignedVarLong()
        return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    @inlinable
    public mutating func writeVarLong(_ value: Int64) {
        writeUnsignedVarLong(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    // MARK: Strings

    /// `STRING` / `NULLABLE_STRING`: int16 length (-1 for null), then UTF-8 bytes.
    @inlinable
    public mutating func readKafkaNullableString() throws -> String? {
        let length = try readKafkaInt16()
        if length < 0 { return nil }
        guard let s = readString(length: Int(length)) else { throw KafkaDecodingError.truncated("string") }
        return s
    }

    @inlinable
    public mutating func readKafkaString() throws -> String {
        guard let s = try readKafkaNullableString() else { throw KafkaDecodingError("null where a non-nullable string was expected") }
        return s
    }

    @inlinable
    public mutating func writeKafkaString(_ value: String?) {
        guard let value else {
            writeInteger(-1, endianness: .big, as: Int16.self)
            return
        }
        let lengthIndex = writerIndex
        writeInteger(0, endianness: .big, as: Int16.self)
        let written = writeString(value)
        setInteger(Int16(truncatingIfNeeded: written), at: lengthIndex, endianness: .big)
    }

    /// `COMPACT_STRING` / `COMPACT_NULLABLE_STRING`: unsigned varint length+1 (0 for null).
    @inlinable
    public mutating func readKafkaCompactNullableString() throws -> String? {
        let lengthPlusOne = try readUnsignedVarInt()
        if lengthPlusOne == 0 { return nil }
        guard let s = readString(length: Int(lengthPlusOne - 1)) else { throw KafkaDecodingError.truncated("compact string") }
        return s
    }

    @inlinable
    public mutating func readKafkaCompactString() throws -> String {
        guard let s = try readKafkaCompactNullableString() else { throw KafkaDecodingError("null where a non-nullable compact string was expected") }
        return s
    }

    @inlinable
    public mutating func writeKafkaCompactString(_ value: String?) {
        guard let value else {
            writeUnsignedVarInt(0)
            return
        }
        writeUnsignedVarInt(UInt32(value.utf8.count + 1))
        writeString(value)
    }

    // MARK: Bytes (returned as slices of this buffer: no copy)

    /// `BYTES` / `NULLABLE_BYTES` / `RECORDS`: int32 length (-1 for null).
    @inlinable
    public mutating func readKafkaNullableBytes() throws -> ByteBuffer? {
        let length = try readKafkaInt32()
        if length < 0 { return nil }
        guard let slice = readSlice(length: Int(length)) else { throw KafkaDecodingError.truncated("bytes") }
        return slice
    }

    @inlinable
    public mutating func readKafkaBytes() throws -> ByteBuffer {
        guard let b = try readKafkaNullableBytes() else { throw KafkaDecodingError("null where non-nullable bytes were expected") }
        return b
    }

    @inlinable
    public mutating func writeKafkaBytes(_ value: ByteBuffer?) {
        guard var value else {
            writeInteger(-1, endianness: .big, as: Int32.self)
            return
        }
        writeInteger(Int32(value.readableBytes), endianness: .big, as: Int32.self)
        writeBuffer(&value)
    }

    /// `COMPACT_BYTES` / `COMPACT_NULLABLE_BYTES` / `COMPACT_RECORDS`: unsigned varint length+1.
    @inlinable
    public mutating func readKafkaCompactNullableBytes() throws -> ByteBuffer? {
        let lengthPlusOne = try readUnsignedVarInt()
        if lengthPlusOne == 0 { return nil }
        guard let slice = readSlice(length: Int(lengthPlusOne - 1)) else { throw KafkaDecodingError.truncated("compact bytes") }
        return slice
    }

    @inlinable
    public mutating func readKafkaCompactBytes() throws -> ByteBuffer {
        guard let b = try readKafkaCompactNullableBytes() else { throw KafkaDecodingError("null where non-nullable compact bytes were expected") }
        return b
    }

    @inlinable
    public mutating func writeKafkaCompactBytes(_ value: ByteBuffer?) {
        guard var value else {
            writeUnsignedVarInt(0)
            return
        }
        writeUnsignedVarInt(UInt32(value.readableBytes + 1))
        writeBuffer(&value)
    }

    // MARK: Arrays

    /// Reads an `ARRAY` length (int32, -1 for null) and checks it against the bytes left,
    /// so a hostile length cannot make us reserve gigabytes.
    @inlinable
    public mutating func readKafkaArrayCount() throws -> Int? {
        let count = try readKafkaInt32()
        if count < 0 { return nil }
        guard Int(count) <= readableBytes else { throw KafkaDecodingError("array length \(count) exceeds the \(readableBytes) bytes left") }
        return Int(count)
    }

    /// Reads a `COMPACT_ARRAY` length (unsigned varint count+1, 0 for null).
    @inlinable
    public mutating func readKafkaCompactArrayCount() throws -> Int? {
        let countPlusOne = try readUnsignedVarInt()
        if countPlusOne == 0 { return nil }
        let count = Int(countPlusOne - 1)
        guard count <= readableBytes else { throw KafkaDecodingError("array length \(count) exceeds the \(readableBytes) bytes left") }
        return count
    }

    @inlinable
    public mutating func writeKafkaArrayCount(_ count: Int?) {
        writeInteger(Int32(count ?? -1), endianness: .big, as: Int32.self)
    }

    @inlinable
    public mutating func writeKafkaCompactArrayCount(_ count: Int?) {
        writeUnsignedVarInt(count.map { UInt32($0 + 1) } ?? 0)
    }

    // MARK: UUID

    @inlinable
    public mutating func readKafkaUUID() throws -> KafkaUUID {
        guard let hi = readInteger(endianness: .big, as: UInt64.self),
              let lo = readInteger(endianness: .big, as: UInt64.self) else { throw KafkaDecodingError.truncated("uuid") }
        return KafkaUUID(high: hi, low: lo)
    }

    @inlinable
    public mutating func writeKafkaUUID(_ value: KafkaUUID) {
        writeInteger(value.high, endianness: .big, as: UInt64.self)
        writeInteger(value.low, endianness: .big, as: UInt64.self)
    }
}

/// Kafka's 128-bit `uuid` type (topic ids); all zeroes means "none".
public struct KafkaUUID: Hashable, Sendable, CustomStringConvertible {
    public var high: UInt64
    public var low: UInt64

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    public static let zero = KafkaUUID(high: 0, low: 0)

    /// A random (version 4) UUID.
    public static func random() -> KafkaUUID {
        var g = SystemRandomNumberGenerator()
        return KafkaUUID(high: (g.next() & ~0xF000) | 0x4000, low: (g.next() & ~(UInt64(0xC) << 60)) | (UInt64(0x8) << 60))
    }

    public var description: String {
        let hex = String(high, radix: 16).leftPad(16) + String(low, radix: 16).leftPad(16)
        let c = Array(hex)
        return String(c[0..<8]) + "-" + String(c[8..<12]) + "-" + String(c[12..<16]) + "-" + String(c[16..<20]) + "-" + String(c[20..<32])
    }
}

extension String {
    fileprivate func leftPad(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
