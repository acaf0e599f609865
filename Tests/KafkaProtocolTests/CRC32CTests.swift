import NIOCore
import Testing
@testable import KafkaProtocol

@Suite("CRC32C")
struct CRC32CTests {
    @Test func knownVectors() {
        #expect(CRC32C.checksum(ByteBuffer(string: "123456789")) == 0xE306_9283)
        #expect(CRC32C.checksum(ByteBuffer(repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(CRC32C.checksum(ByteBuffer(repeating: 0xFF, count: 32)) == 0x62A8_AB43)
        #expect(CRC32C.checksum(ByteBuffer()) == 0)
    }

    /// The slice-by-8 path must agree with the plain bitwise definition at every length
    /// and alignment, including the byte-wise tail.
    @Test func sliceBy8MatchesBitwiseReference() {
        var generator = SystemRandomNumberGenerator()
        let data = (0..<300).map { _ in UInt8.random(in: 0...255, using: &generator) }
        for start in 0..<9 {
            for length in [0, 1, 7, 8, 9, 15, 16, 17, 63, 64, 65, 255, 291 - start] {
                let slice = Array(data[start..<start + length])
                let actual = slice.withUnsafeBytes { CRC32C.update(0, $0) }
                #expect(actual == Self.reference(0, slice[...]), "start \(start) length \(length)")
            }
        }
    }

    /// Long inputs are hashed as three interleaved blocks joined by shift tables (8 KiB and
    /// 256-byte blocks); every length around those sizes, any alignment and a running CRC
    /// must give the bitwise definition's result.
    @Test func threeWayBlocksMatchBitwiseReference() {
        var generator = SystemRandomNumberGenerator()
        let data = (0..<60_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let lengths = [767, 768, 769, 1_000, 3 * 256 * 5 + 7, 3 * 8_192 - 1, 3 * 8_192, 3 * 8_192 + 1,
                       2 * 3 * 8_192 + 3 * 256 + 13, 59_990]
        for (index, length) in lengths.enumerated() {
            let start = index % 9
            let initial = index.isMultiple(of: 2) ? 0 : UInt32.random(in: 0...UInt32.max, using: &generator)
            let slice = data[start..<start + length]
            let actual = slice.withUnsafeBytes { CRC32C.update(initial, $0) }
            #expect(actual == Self.reference(initial, slice), "start \(start) length \(length)")
        }
    }

    /// The plain bitwise definition, extending `crc` by `bytes`.
    private static func reference(_ crc: UInt32, _ bytes: ArraySlice<UInt8>) -> UInt32 {
        var crc = ~crc
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
        }
        return ~crc
    }

    @Test func updateIsIncremental() {
        let bytes = Array("The quick brown fox jumps over the lazy dog".utf8)
        let whole = bytes.withUnsafeBytes { CRC32C.update(0, $0) }
        for split in 0...bytes.count {
            let first = bytes[..<split].withUnsafeBytes { CRC32C.update(0, $0) }
            let both = bytes[split...].withUnsafeBytes { CRC32C.update(first, $0) }
            #expect(both == whole)
        }
        #expect(whole == 0x2262_0404)
    }
}
