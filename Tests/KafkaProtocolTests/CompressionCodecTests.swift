import NIOCore
import Testing
@testable import KafkaProtocol

@Suite("CompressionCodec")
struct CompressionCodecTests {
    static let allocator = ByteBufferAllocator()
    static let fox = String(repeating: "The quick brown fox jumps over the lazy dog. ", count: 40)

    /// Compressible but not trivially so: ~200 KiB of text with a counter, so that codecs
    /// split it into several blocks/chunks.
    static let large: ByteBuffer = {
        var buffer = ByteBuffer()
        var i = 0
        while buffer.readableBytes < 200_000 {
            buffer.writeString("record \(i) amount=\(i * 37 % 1000) currency=EUR;")
            i += 1
        }
        return buffer
    }()

    static func hex(_ string: String) -> ByteBuffer {
        let digits = Array(string.filter { !$0.isWhitespace })
        var buffer = ByteBuffer()
        var index = 0
        while index + 1 < digits.count {
            buffer.writeInteger(UInt8(String(digits[index...index + 1]), radix: 16)!)
            index += 2
        }
        return buffer
    }

    func decompress(_ codec: CompressionCodec, _ input: ByteBuffer, max: Int = 10 << 20) throws -> ByteBuffer {
        try codec.decompress(input, maxOutputSize: max, allocator: Self.allocator)
    }

    // MARK: Round trips

    @Test(arguments: CompressionCodec.allCases)
    func roundTrip(codec: CompressionCodec) throws {
        for input in [ByteBuffer(), ByteBuffer(string: "x"), ByteBuffer(string: Self.fox), Self.large] {
            let compressed = try codec.compress(input, allocator: Self.allocator)
            if codec != .none && input.readableBytes > 1000 {
                #expect(compressed.readableBytes < input.readableBytes / 2)
            }
            #expect(try decompress(codec, compressed) == input)
        }
    }

    // MARK: gzip

    @Test func gzipConcatenatedMembers() throws {
        // `printf 'first member|' | gzip -c; printf 'second member' | gzip -c`
        let fixture = Self.hex("""
            1f8b08000000000000034bcb2c2a2e51c84dcd4d4a2daa0100ae20e3b30d000000
            1f8b08000000000000032b4e4dcecf4b51c84dcd4d4a2d02002474fa9f0d000000
            """)
        #expect(try decompress(.gzip, fixture) == ByteBuffer(string: "first member|second member"))

        var ours = try CompressionCodec.gzip.compress(ByteBuffer(string: Self.fox), allocator: Self.allocator)
        var second = try CompressionCodec.gzip.compress(Self.large, allocator: Self.allocator)
        ours.writeBuffer(&second)
        var expected = ByteBuffer(string: Self.fox)
        expected.writeImmutableBuffer(Self.large)
        #expect(try decompress(.gzip, ours) == expected)
    }

    @Test func gzipTrailingGarbageThrows() throws {
        var compressed = try CompressionCodec.gzip.compress(ByteBuffer(string: Self.fox), allocator: Self.allocator)
        compressed.writeString("garbage")
        #expect(throws: CompressionError.self) { try decompress(.gzip, compressed) }
    }

    // MARK: snappy

    @Test func snappyRawHandBuiltBlock() throws {
        // Length 12, literal "abc", copy (tag 01) of 9 bytes at offset 3.
        let block = Self.hex("0c 08 616263 15 03")
        #expect(try decompress(.snappy, block) == ByteBuffer(string: "abcabcabcabc"))
    }

    @Test func snappyRawAsLibrdkafkaSendsIt() throws {
        let raw = try SnappyCompression.compressRaw(Self.large, allocator: Self.allocator)
        #expect(raw.getBytes(at: 0, length: 8) != SnappyCompression.xerialMagic)
        #expect(try decompress(.snappy, raw) == Self.large)
    }

    @Test func snappyXerialSeveralChunks() throws {
        let framed = try CompressionCodec.snappy.compress(Self.large, allocator: Self.allocator)
        // Java-client framing: magic, version 1, compatible version 1, then chunks of 32 KiB input.
        #expect(framed.getBytes(at: 0, length: 8) == SnappyCompression.xerialMagic)
        #expect(framed.getInteger(at: 8, endianness: .big, as: Int32.self) == 1)
        #expect(framed.getInteger(at: 12, endianness: .big, as: Int32.self) == 1)
        var chunks = 0
        var index = 16
        while index < framed.writerIndex {
            index += 4 + Int(framed.getInteger(at: index, endianness: .big, as: Int32.self)!)
            chunks += 1
        }
        #expect(index == framed.writerIndex)
        #expect(chunks == (Self.large.readableBytes + 32 * 1024 - 1) / (32 * 1024))
        #expect(try decompress(.snappy, framed) == Self.large)
    }

    @Test func snappyXerialHandBuiltAndConcatenatedStreams() throws {
        // Header with snappy-java's version fields, two chunks, then a second stream header
        // and one more chunk.
        let header = "82 534e41505059 00 00000001 00000001"
        let chunk1 = "00000007 0c 08 616263 15 03"          // "abcabcabcabc"
        let chunk2 = "00000004 02 04 2d 21"                 // "-!"
        let fixture = Self.hex(header + chunk1 + chunk2 + header + chunk1)
        #expect(try decompress(.snappy, fixture) == ByteBuffer(string: "abcabcabcabc-!abcabcabcabc"))
        // A header with no chunks is an empty payload.
        #expect(try decompress(.snappy, Self.hex(header)).readableBytes == 0)
    }

    @Test func snappyXerialBadChunkLengthThrows() {
        let fixture = Self.hex("82 534e41505059 00 00000001 00000001 00000009 0c 08 616263 15 03")
        #expect(throws: CompressionError.self) { try decompress(.snappy, fixture) }
    }

    // MARK: lz4

    @Test func lz4FrameFromCommandLineTool() throws {
        // `lz4 -BX --content-size -B4`: block checksum, content size, content checksum, 64 KiB blocks.
        let fixture = Self.hex("""
            04224d187c400807000000000000773e000000ff1e54686520717569636b2062726f776e20666f78206a756d7073
            206f76657220746865206c617a7920646f672e202d00ffffffffffffc950646f672e20ddebf4ab00000000fecc4bf8
            """)
        #expect(try decompress(.lz4, fixture) == ByteBuffer(string: Self.fox))
    }

    @Test(arguments: [
        LZ4Compression.FrameOptions(),
        LZ4Compression.FrameOptions(blockChecksum: true),
        LZ4Compression.FrameOptions(contentSize: true),
        LZ4Compression.FrameOptions(contentChecksum: true),
        LZ4Compression.FrameOptions(blockSize: .max256KB, linkedBlocks: true),
        LZ4Compression.FrameOptions(blockSize: .max4MB, linkedBlocks: true, blockChecksum: true, contentChecksum: true, contentSize: true),
    ])
    func lz4FrameOptions(options: LZ4Compression.FrameOptions) throws {
        let frame = try LZ4Compression.compress(Self.large, allocator: Self.allocator, options: options)
        #expect(try decompress(.lz4, frame) == Self.large)
    }

    @Test func lz4ConcatenatedFrames() throws {
        var frames = try CompressionCodec.lz4.compress(ByteBuffer(string: "one,"), allocator: Self.allocator)
        var second = try CompressionCodec.lz4.compress(ByteBuffer(string: "two"), allocator: Self.allocator)
        frames.writeBuffer(&second)
        #expect(try decompress(.lz4, frames) == ByteBuffer(string: "one,two"))
    }

    @Test func lz4ContentChecksumMismatchThrows() throws {
        var frame = try LZ4Compression.compress(ByteBuffer(string: Self.fox), allocator: Self.allocator,
                                                options: .init(contentChecksum: true))
        let last = frame.writerIndex - 1
        frame.setInteger(frame.getInteger(at: last, as: UInt8.self)! ^ 0xFF, at: last)
        #expect(throws: CompressionError.self) { try decompress(.lz4, frame) }
    }

    // MARK: zstd

    @Test func zstdWithoutContentSize() throws {
        // `zstd -c < fox.txt` (streamed from stdin, so the frame has no content size).
        let fixture = Self.hex("""
            28b52ffd0458b50100d40254686520717569636b2062726f776e20666f78206a756d7073206f76657220746865
            206c617a7920646f672e200100c516feaa0cd7fc9310
            """)
        #expect(try decompress(.zstd, fixture) == ByteBuffer(string: Self.fox))

        let ours = try ZstdCompression.compress(Self.large, allocator: Self.allocator, includeContentSize: false)
        #expect(try decompress(.zstd, ours) == Self.large)
    }

    // MARK: Hostile input

    @Test(arguments: [CompressionCodec.gzip, .snappy, .lz4, .zstd])
    func decompressionBombIsLimited(codec: CompressionCodec) throws {
        // 16 MiB of zeroes compress to a few KiB; the limit stops decoding at 1 MiB.
        let bomb = try codec.compress(ByteBuffer(repeating: 0, count: 16 << 20), allocator: Self.allocator)
        #expect(bomb.readableBytes < 1 << 20)
        #expect(throws: CompressionError.outputLimitExceeded(codec: codec, limit: 1 << 20)) {
            try decompress(codec, bomb, max: 1 << 20)
        }
        // Exactly at the limit is fine, one byte less is not.
        let exact = try codec.compress(ByteBuffer(repeating: 7, count: 4096), allocator: Self.allocator)
        #expect(try decompress(codec, exact, max: 4096).readableBytes == 4096)
        #expect(throws: CompressionError.outputLimitExceeded(codec: codec, limit: 4095)) {
            try decompress(codec, exact, max: 4095)
        }
    }

    @Test func noneRespectsLimit() throws {
        #expect(try decompress(.none, ByteBuffer(string: "abc"), max: 3) == ByteBuffer(string: "abc"))
        #expect(throws: CompressionError.self) { try decompress(.none, ByteBuffer(string: "abc"), max: 2) }
    }

    @Test func snappyLyingLengthPreambleIsRefusedBeforeAllocating() {
        // Preamble claims 0xFFFFFFFF bytes.
        let block = Self.hex("ffffffff0f 00")
        #expect(throws: CompressionError.outputLimitExceeded(codec: .snappy, limit: 1 << 20)) {
            try decompress(.snappy, block, max: 1 << 20)
        }
    }

    @Test(arguments: [CompressionCodec.gzip, .snappy, .lz4, .zstd])
    func garbageThrows(codec: CompressionCodec) {
        // Seeded, so that a byte string that happens to be valid cannot make this flaky.
        var generator = RecordsTestRandom(seed: 42)
        for length in [0, 1, 5, 17, 100, 4096] {
            var garbage = ByteBuffer()
            for _ in 0..<length { garbage.writeInteger(UInt8.random(in: 0...255, using: &generator)) }
            #expect(throws: CompressionError.self, "\(codec) \(length) bytes") { try decompress(codec, garbage) }
        }
        // Valid framing magic followed by garbage.
        let magics = [CompressionCodec.gzip: "1f8b0800", .snappy: "82534e4150505900 00000001 00000001 00000010", .lz4: "04224d18", .zstd: "28b52ffd"]
        var framed = Self.hex(magics[codec]!)
        framed.writeString("not a compressed payload at all")
        #expect(throws: CompressionError.self) { try decompress(codec, framed) }
    }

    @Test(arguments: [CompressionCodec.gzip, .snappy, .lz4, .zstd])
    func everyTruncationThrowsOrIsAPrefix(codec: CompressionCodec) throws {
        let input = Self.large.getSlice(at: 0, length: 70_000)!
        let compressed = try codec.compress(input, allocator: Self.allocator)
        var accepted = 0
        for length in 0..<compressed.readableBytes {
            let prefix = compressed.getSlice(at: 0, length: length)!
            do {
                // Only a cut at a xerial chunk boundary is itself a valid (shorter) stream.
                let output = try decompress(codec, prefix)
                #expect(codec == .snappy, "\(codec) accepted a \(length)-byte prefix")
                #expect(output.readableBytes < input.readableBytes && input.getSlice(at: 0, length: output.readableBytes) == output)
                accepted += 1
            } catch is CompressionError {
            }
        }
        #expect(accepted == (codec == .snappy ? 3 : 0))  // header only, after chunk 1, after chunk 2
    }

    @Test(arguments: [CompressionCodec.gzip, .snappy, .lz4, .zstd])
    func bitFlipsNeverTrap(codec: CompressionCodec) throws {
        let compressed = try codec.compress(Self.large, allocator: Self.allocator)
        var generator = RecordsTestRandom(seed: 7)
        for _ in 0..<200 {
            var damaged = compressed
            let index = Int.random(in: 0..<damaged.readableBytes, using: &generator)
            damaged.setInteger(damaged.getInteger(at: index, as: UInt8.self)! ^ UInt8.random(in: 1...255, using: &generator), at: index)
            // Either an error or some output (snappy and lz4 without checksums cannot always
            // tell); never a crash and never more than the limit.
            if let output = try? decompress(codec, damaged, max: 300_000) {
                #expect(output.readableBytes <= 300_000)
            }
        }
    }
}

/// A seeded generator (SplitMix64) so that tests feeding random bytes are reproducible.
struct RecordsTestRandom: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
