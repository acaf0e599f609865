/// Reads big-endian fields of the `__consumer_offsets` key/value encodings.
struct OffsetRecordReader {
    private let bytes: [UInt8]
    private var position = 0

    init(_ bytes: some Collection<UInt8>) {
        self.bytes = Array(bytes)
    }

    mutating func readUInt8() throws(OffsetRecordDecodingError) -> UInt8 {
        guard position < bytes.count else { throw .truncated }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func readInt32() throws(OffsetRecordDecodingError) -> Int32 {
        try readInteger(Int32.self)
    }

    mutating func readInt64() throws(OffsetRecordDecodingError) -> Int64 {
        try readInteger(Int64.self)
    }

    mutating func readShortString() throws(OffsetRecordDecodingError) -> String {
        try readString(length: Int(try readInteger(UInt16.self)))
    }

    mutating func readLongString() throws(OffsetRecordDecodingError) -> String {
        let length = try readInteger(Int32.self)
        guard length >= 0 else { throw .truncated }
        return try readString(length: Int(length))
    }

    func expectEnd() throws(OffsetRecordDecodingError) {
        guard position == bytes.count else { throw .trailingBytes }
    }

    private mutating func readInteger<T: FixedWidthInteger>(_: T.Type) throws(OffsetRecordDecodingError) -> T {
        let size = MemoryLayout<T>.size
        guard bytes.count - position >= size else { throw .truncated }
        var value: T = 0
        for byte in bytes[position..<position + size] {
            value = value << 8 | T(byte)
        }
        position += size
        return value
    }

    private mutating func readString(length: Int) throws(OffsetRecordDecodingError) -> String {
        guard bytes.count - position >= length else { throw .truncated }
        defer { position += length }
        guard let string = String(validating: bytes[position..<position + length], as: UTF8.self) else {
            throw .invalidUTF8
        }
        return string
    }
}
