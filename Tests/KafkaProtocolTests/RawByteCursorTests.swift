import NIOCore
import Testing
@testable import KafkaProtocol

/// ``RawByteCursor`` reads varints with an inlined path for one and two bytes and a loop for
/// longer ones: both must agree with `ByteBuffer`'s reader on every length, and a varint cut
/// short must throw, never read past the end.
@Suite("RawByteCursor")
struct RawByteCursorTests {
    /// Values whose zigzag encoding is 1, 2, 3, 4 and 5 bytes long, and the edges between.
    static let ints: [Int32] = [0, -1, 1, 63, -64, 64, -65, 100, 8191, -8192, 8192, -8193, 1_048_575, -1_048_576,
                                1_048_576, 134_217_727, 134_217_728, Int32.max, Int32.min]
    static let longs: [Int64] = ints.map(Int64.init) + [Int64(Int32.max) + 1, 1 << 62, Int64.max, Int64.min]

    @Test(arguments: ints)
    func varIntsAgreeWithByteBuffer(value: Int32) throws {
        try Self.expectReadBack(value, written: { $0.writeVarInt($1) }, read: { try $0.readVarInt() })
    }

    @Test(arguments: longs)
    func varLongsAgreeWithByteBuffer(value: Int64) throws {
        try Self.expectReadBack(value, written: { $0.writeVarLong($1) }, read: { try $0.readVarLong() })
    }

    /// `value` as `ByteBuffer` writes it is read back by `read`, which stops at its last byte,
    /// also when that is the last byte there is (as a record's header count is); every proper
    /// prefix of it throws.
    private static func expectReadBack<Value: Equatable>(
        _ value: Value, written write: (inout ByteBuffer, Value) -> Void, read: (inout RawByteCursor) throws -> Value
    ) throws {
        var buffer = ByteBuffer()
        write(&buffer, value)
        let length = buffer.readableBytes
        buffer.writeInteger(UInt8(0x55))  // a following byte must stay unread
        try buffer.withUnsafeReadableBytes { bytes throws in
            var cursor = RawByteCursor(bytes)
            #expect(try read(&cursor) == value)
            #expect(cursor.index == length)
        }
        buffer.moveWriterIndex(to: length)
        try buffer.withUnsafeReadableBytes { bytes throws in
            var cursor = RawByteCursor(bytes)
            #expect(try read(&cursor) == value)
            #expect(cursor.remaining == 0)
            for cut in 0..<length {
                var short = RawByteCursor(UnsafeRawBufferPointer(rebasing: bytes[0..<cut]))
                #expect(throws: KafkaDecodingError.self) { try read(&short) }
            }
        }
    }

    @Test func nullableBytesOfEveryShortLength() throws {
        for length in [0, 1, 63, 64, 300, 8191, 8192] {
            var buffer = ByteBuffer()
            buffer.writeVarInt(Int32(length))
            buffer.writeRepeatingByte(7, count: length)
            try buffer.withUnsafeReadableBytes { bytes throws in
                var cursor = RawByteCursor(bytes)
                let read = try cursor.readNullableBytes("value")
                #expect(read?.count == length)
                #expect(cursor.remaining == 0)
                var short = RawByteCursor(UnsafeRawBufferPointer(rebasing: bytes.dropLast()))
                #expect(throws: KafkaDecodingError.self) { try short.readNullableBytes("value") }
            }
        }
        var null = ByteBuffer()
        null.writeVarInt(-1)
        try null.withUnsafeReadableBytes { bytes throws in
            var cursor = RawByteCursor(bytes)
            #expect(try cursor.readNullableBytes("key") == nil)
        }
    }
}
