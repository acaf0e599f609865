import NIOCore
import Testing
@testable import KafkaProtocol

@Suite("RecordBatch")
struct RecordBatchTests {
    static let maxSize = 64 << 20

    private static func hex(_ string: String) -> ByteBuffer {
        CompressionCodecTests.hex(string)
    }

    /// A batch with every field and flag type a test might look at.
    private static func sampleBuilder(compression: CompressionCodec, records: Int = 5) -> RecordBatchBuilder {
        var builder = RecordBatchBuilder(
            baseOffset: 1000, producerId: 42, producerEpoch: 3, baseSequence: 17,
            isTransactional: true, compression: compression)
        for i in 0..<records {
            let key: ByteBuffer? = i % 3 == 1 ? nil : ByteBuffer(string: "key-\(i)")
            let value: ByteBuffer? = i % 4 == 3 ? nil : ByteBuffer(string: String(repeating: "value \(i) ", count: i + 1))
            var headers = [RecordHeader(key: "trace-id", value: ByteBuffer(string: "t\(i)"))]
            if i % 2 == 0 { headers.append(RecordHeader(key: "nullable", value: nil)) }
            if i == 2 { headers.append(RecordHeader(key: "", value: ByteBuffer())) }
            // Timestamps move backwards too: deltas are signed.
            builder.append(key: key, value: value, headers: i == 4 ? [] : headers, timestamp: 1_700_000_000_000 + Int64((i * 7) % 5) * 1000)
        }
        return builder
    }

    // MARK: Round trips

    @Test(arguments: CompressionCodec.allCases)
    func builderRoundTrip(compression: CompressionCodec) throws {
        let bytes = try Self.sampleBuilder(compression: compression).build()
        let headers = try RecordBatch.validateBatches(bytes)
        #expect(headers.count == 1)
        let batch = try RecordBatch(bytes: bytes)
        #expect(batch.header == headers[0])
        #expect(batch.header.magic == 2)
        #expect(batch.header.totalSize == bytes.readableBytes)
        #expect(batch.compression == compression)
        #expect(batch.timestampType == .createTime)
        #expect(batch.header.baseOffset == 1000)
        #expect(batch.header.lastOffsetDelta == 4)
        #expect(batch.header.lastOffset == 1004)
        #expect(batch.header.recordCount == 5)
        #expect(batch.header.producerId == 42)
        #expect(batch.header.producerEpoch == 3)
        #expect(batch.header.baseSequence == 17)
        #expect(batch.header.isTransactional)
        #expect(!batch.header.isControl)
        #expect(batch.header.partitionLeaderEpoch == -1)
        #expect(batch.header.baseTimestamp == 1_700_000_000_000)
        #expect(batch.header.maxTimestamp == 1_700_000_000_000 + 4000)

        let records = try batch.records(maxDecompressedSize: Self.maxSize)
        #expect(records.count == 5)
        for (i, record) in records.enumerated() {
            #expect(record.offset == 1000 + Int64(i))
            #expect(record.offsetDelta == Int32(i))
            #expect(record.timestamp == 1_700_000_000_000 + Int64((i * 7) % 5) * 1000)
            #expect(record.attributes == 0)
            #expect(record.key == (i % 3 == 1 ? nil : ByteBuffer(string: "key-\(i)")))
            #expect(record.value == (i % 4 == 3 ? nil : ByteBuffer(string: String(repeating: "value \(i) ", count: i + 1))))
            var expectedHeaders = [RecordHeader(key: "trace-id", value: ByteBuffer(string: "t\(i)"))]
            if i % 2 == 0 { expectedHeaders.append(RecordHeader(key: "nullable", value: nil)) }
            if i == 2 { expectedHeaders.append(RecordHeader(key: "", value: ByteBuffer())) }
            if i == 4 { expectedHeaders = [] }
            #expect(Array(record.headers) == expectedHeaders)
            #expect(record.headers.count == expectedHeaders.count)
        }
        #expect(records[0].headers.first(named: "trace-id") == .some(ByteBuffer(string: "t0")))
        #expect(records[0].headers.first(named: "nullable") == .some(nil))
        #expect(records[0].headers.first(named: "absent") == nil)
    }

    @Test func largeCompressedBatchRoundTrip() throws {
        for codec in CompressionCodec.allCases {
            var builder = RecordBatchBuilder(compression: codec)
            for i in 0..<5000 {
                builder.append(key: ByteBuffer(string: "account-\(i % 97)"), value: ByteBuffer(string: "{\"amount\": \(i), \"currency\": \"EUR\"}"), timestamp: Int64(i))
            }
            let bytes = try builder.build()
            let batch = try RecordBatch(bytes: bytes)
            var count = 0
            try batch.forEachRecord(maxDecompressedSize: Self.maxSize) { record in
                #expect(record.offset == Int64(count))
                #expect(record.value == ByteBuffer(string: "{\"amount\": \(count), \"currency\": \"EUR\"}"))
                count += 1
            }
            #expect(count == 5000)
        }
    }

    @Test func logAppendTimeReportsMaxTimestampAndFlagsAreEncoded() throws {
        var builder = RecordBatchBuilder(baseOffset: 5, isControl: true, timestampType: .logAppendTime)
        builder.append(key: nil, value: nil, timestamp: 10)
        builder.append(key: nil, value: nil, timestamp: 30)
        builder.append(key: nil, value: nil, timestamp: 20)
        let batch = try RecordBatch(bytes: builder.build())
        #expect(batch.header.isLogAppendTime && batch.header.isControl && !batch.header.isTransactional)
        #expect(batch.header.attributes == 0x28)
        #expect(batch.header.maxTimestamp == 30)
        #expect(try batch.records(maxDecompressedSize: Self.maxSize).map(\.timestamp) == [30, 30, 30])
    }

    @Test func explicitOffsetDeltasWithGaps() throws {
        var builder = RecordBatchBuilder(baseOffset: 100)
        builder.append(key: ByteBuffer(string: "a"), value: nil, timestamp: 1, offsetDelta: 0)
        builder.append(key: ByteBuffer(string: "b"), value: nil, timestamp: 1, offsetDelta: 7)
        builder.append(key: ByteBuffer(string: "c"), value: nil, timestamp: 1)
        let batch = try RecordBatch(bytes: builder.build())
        #expect(batch.header.lastOffsetDelta == 8)
        #expect(batch.header.recordCount == 3)
        #expect(try batch.records(maxDecompressedSize: Self.maxSize).map(\.offset) == [100, 107, 108])
    }

    @Test func emptyBuilderBuildsNothing() throws {
        #expect(try RecordBatchBuilder().build().readableBytes == 0)
        #expect(try RecordBatch.validateBatches(ByteBuffer()).isEmpty)
    }

    // MARK: Hand-built fixture

    /// An uncompressed batch written byte by byte from the record format in Kafka's docs
    /// (https://kafka.apache.org/documentation/#recordbatch); CRC-32C computed separately.
    static let handBuiltBatch = """
        0000000000000000 00000049 00000000 02 97f4442a 0000 00000001
        0000018bcfe56800 0000018bcfe56805 ffffffffffffffff ffff ffffffff 00000002
        1c 00 00 00 04 6b31 04 7631 02 02 68 02 78
        10 00 0a 02 01 04 7632 00
        """
    // Record 0: length 14 (zigzag 0x1c), attributes 0, timestampDelta 0, offsetDelta 0,
    //           key "k1" (len 2 = 0x04), value "v1", 1 header: key "h", value "x".
    // Record 1: length 8 (0x10), attributes 0, timestampDelta 5 (0x0a), offsetDelta 1 (0x02),
    //           key null (-1 = 0x01), value "v2", no headers.

    @Test func handBuiltFixtureDecodesFieldByField() throws {
        let bytes = Self.hex(Self.handBuiltBatch)
        #expect(bytes.readableBytes == 85)
        let batch = try RecordBatch(bytes: bytes)
        let h = batch.header
        #expect(h.baseOffset == 0)
        #expect(h.batchLength == 73)
        #expect(h.partitionLeaderEpoch == 0)
        #expect(h.magic == 2)
        #expect(h.crc == 0x97F4_442A)
        #expect(h.attributes == 0)
        #expect(h.lastOffsetDelta == 1)
        #expect(h.baseTimestamp == 1_700_000_000_000)
        #expect(h.maxTimestamp == 1_700_000_000_005)
        #expect(h.producerId == -1 && !h.hasProducerId)
        #expect(h.producerEpoch == -1)
        #expect(h.baseSequence == -1)
        #expect(h.recordCount == 2)
        #expect(h.hasValidCRC(buffer: bytes, at: 0))

        let records = try batch.records(maxDecompressedSize: Self.maxSize)
        #expect(records.count == 2)
        #expect(records[0].offset == 0)
        #expect(records[0].timestamp == 1_700_000_000_000)
        #expect(records[0].key == ByteBuffer(string: "k1"))
        #expect(records[0].value == ByteBuffer(string: "v1"))
        #expect(Array(records[0].headers) == [RecordHeader(key: "h", value: ByteBuffer(string: "x"))])
        #expect(records[0].rawBytes.readableBytes == 15)
        #expect(records[1].offset == 1)
        #expect(records[1].timestamp == 1_700_000_000_005)
        #expect(records[1].key == nil)
        #expect(records[1].value == ByteBuffer(string: "v2"))
        #expect(records[1].headers.isEmpty)

        // Our builder produces the very same bytes.
        var builder = RecordBatchBuilder(baseOffset: 0, partitionLeaderEpoch: 0)
        builder.append(key: ByteBuffer(string: "k1"), value: ByteBuffer(string: "v1"),
                       headers: [RecordHeader(key: "h", value: ByteBuffer(string: "x"))], timestamp: 1_700_000_000_000)
        builder.append(key: nil, value: ByteBuffer(string: "v2"), timestamp: 1_700_000_000_005)
        #expect(try builder.build() == bytes)
    }

    // MARK: Validation of produced blobs

    @Test func validatesConcatenatedBatches() throws {
        var blob = try Self.sampleBuilder(compression: .lz4).build()
        blob.writeImmutableBuffer(Self.hex(Self.handBuiltBatch))
        blob.writeImmutableBuffer(try Self.sampleBuilder(compression: .none, records: 2).build())
        let headers = try RecordBatch.validateBatches(blob)
        #expect(headers.map(\.recordCount) == [5, 2, 2])
        let batches = try RecordBatch.batches(in: blob)
        #expect(batches.map(\.header) == headers)
        #expect(batches.map(\.bytes.readableBytes).reduce(0, +) == blob.readableBytes)
        #expect(try batches[1].records(maxDecompressedSize: Self.maxSize).count == 2)
    }

    @Test func corruptedCRCIsDetected() throws {
        let good = try Self.sampleBuilder(compression: .snappy).build()
        // Flip one bit in every position the CRC covers, and in the CRC itself.
        for index in RecordBatchHeader.crcOffset..<good.readableBytes {
            var bad = good
            bad.setInteger(bad.getInteger(at: index, as: UInt8.self)! ^ 0x10, at: index)
            #expect(throws: RecordBatchError.self) { try RecordBatch.validateBatches(bad) }
            do {
                _ = try RecordBatch.validateBatches(bad)
            } catch {
                #expect(error.isCorruptMessage)
                #expect(error.kafkaErrorCode == .corruptMessage)
                if index >= RecordBatchHeader.attributesOffset {
                    guard case .crcMismatch = error else { Issue.record("byte \(index): \(error)"); continue }
                }
            }
        }
        // baseOffset and partitionLeaderEpoch are outside the CRC: the broker may rewrite them.
        var rewritten = good
        rewritten.setInteger(Int64(123_456), at: 0, endianness: .big)
        rewritten.setInteger(Int32(9), at: RecordBatchHeader.partitionLeaderEpochOffset, endianness: .big)
        #expect(try RecordBatch.validateBatches(rewritten).first?.baseOffset == 123_456)
    }

    @Test func truncatedAtEveryPrefixThrows() throws {
        for codec in CompressionCodec.allCases {
            let good = try Self.sampleBuilder(compression: codec).build()
            for length in 1..<good.readableBytes {
                let prefix = good.getSlice(at: 0, length: length)!
                #expect(throws: RecordBatchError.self, "\(codec) prefix \(length)") { try RecordBatch.validateBatches(prefix) }
                #expect(throws: RecordBatchError.self) { try RecordBatch(bytes: prefix) }
            }
        }
    }

    @Test func trailingGarbageIsCorrupt() throws {
        var blob = Self.hex(Self.handBuiltBatch)
        blob.writeBytes([0, 0, 0])
        #expect(throws: RecordBatchError.truncated(batchIndex: 1, needed: 61, available: 3)) {
            try RecordBatch.validateBatches(blob)
        }
        #expect(throws: RecordBatchError.self) { try RecordBatch(bytes: blob) }
    }

    @Test func legacyMagicIsUnsupportedNotCorrupt() throws {
        // A magic 1 message: offset, size, crc, magic 1, attributes, timestamp, key -1, value "x".
        let v1 = Self.hex("0000000000000000 00000017 12345678 01 00 0000018bcfe56800 ffffffff 00000001 78")
        do {
            _ = try RecordBatch.validateBatches(v1)
            Issue.record("magic 1 accepted")
        } catch {
            #expect(error == .unsupportedMagic(batchIndex: 0, magic: 1))
            #expect(!error.isCorruptMessage)
            #expect(error.kafkaErrorCode == .invalidRecord)
        }
        var v0 = v1
        v0.setInteger(Int8(0), at: RecordBatchHeader.magicOffset)
        #expect(throws: RecordBatchError.unsupportedMagic(batchIndex: 0, magic: 0)) { try RecordBatch.validateBatches(v0) }
        var v3 = Self.hex(Self.handBuiltBatch)
        v3.setInteger(Int8(3), at: RecordBatchHeader.magicOffset)
        #expect(throws: RecordBatchError.invalidMagic(batchIndex: 0, magic: 3)) { try RecordBatch.validateBatches(v3) }
    }

    @Test func badBatchLengthsAreCorrupt() throws {
        var short = Self.hex(Self.handBuiltBatch)
        short.setInteger(Int32(48), at: 8, endianness: .big)
        #expect(throws: RecordBatchError.invalidBatchLength(batchIndex: 0, batchLength: 48)) { try RecordBatch.validateBatches(short) }
        var negative = short
        negative.setInteger(Int32(-1), at: 8, endianness: .big)
        #expect(throws: RecordBatchError.invalidBatchLength(batchIndex: 0, batchLength: -1)) { try RecordBatch.validateBatches(negative) }
        var long = short
        long.setInteger(Int32.max, at: 8, endianness: .big)
        #expect(throws: RecordBatchError.self) { try RecordBatch.validateBatches(long) }
    }

    // MARK: Malformed records (valid CRC, bad contents)

    /// Rebuilds the hand-built batch with a replaced records section and record count,
    /// recomputing batchLength and CRC so only the record decoder can object.
    private static func batch(records: String, recordCount: Int32 = 2, lastOffsetDelta: Int32 = 1, attributes: Int16 = 0) -> ByteBuffer {
        var bytes = hex(handBuiltBatch).getSlice(at: 0, length: RecordBatchHeader.size)!
        bytes.writeImmutableBuffer(hex(records))
        return resealed(bytes, recordCount: recordCount, lastOffsetDelta: lastOffsetDelta, attributes: attributes)
    }

    private static func resealed(_ input: ByteBuffer, recordCount: Int32, lastOffsetDelta: Int32, attributes: Int16) -> ByteBuffer {
        var bytes = input
        bytes.setInteger(Int32(bytes.readableBytes - 12), at: 8, endianness: .big)
        bytes.setInteger(attributes, at: RecordBatchHeader.attributesOffset, endianness: .big)
        bytes.setInteger(lastOffsetDelta, at: 23, endianness: .big)
        bytes.setInteger(recordCount, at: 57, endianness: .big)
        let crc = RecordBatchHeader.computeCRC(buffer: bytes, at: 0, totalSize: bytes.readableBytes)!
        bytes.setInteger(crc, at: RecordBatchHeader.crcOffset, endianness: .big)
        return bytes
    }

    @Test(arguments: [
        ("record count larger than records", "1c 00 00 00 04 6b31 04 7631 02 02 68 02 78 10 00 0a 02 01 04 7632 00", Int32(3), Int32(1)),
        ("record count smaller than records", "1c 00 00 00 04 6b31 04 7631 02 02 68 02 78 10 00 0a 02 01 04 7632 00", 1, 1),
        ("trailing bytes after records", "1c 00 00 00 04 6b31 04 7631 02 02 68 02 78 10 00 0a 02 01 04 7632 00 00", 2, 1),
        ("record length too long", "1e 00 00 00 04 6b31 04 7631 02 02 68 02 78 10 00 0a 02 01 04 7632 00", 2, 1),
        ("record length too short", "1a 00 00 00 04 6b31 04 7631 02 02 68 02 78 10 00 0a 02 01 04 7632 00", 2, 1),
        ("record length negative", "01 00 00 00 04 6b31 04 7631 02 02 68 02 78 10 00 0a 02 01 04 7632 00", 2, 1),
        ("offsetDelta beyond lastOffsetDelta", "1c 00 00 00 04 6b31 04 7631 02 02 68 02 78 10 00 0a 04 01 04 7632 00", 2, 1),
        ("offsetDelta repeated", "1c 00 00 00 04 6b31 04 7631 02 02 68 02 78 10 00 0a 00 01 04 7632 00", 2, 1),
        ("negative offsetDelta", "1c 00 00 01 04 6b31 04 7631 02 02 68 02 78 10 00 0a 02 01 04 7632 00", 2, 1),
        ("key length -2", "1c 00 00 00 03 6b31 04 7631 02 02 68 02 78 10 00 0a 02 01 04 7632 00", 2, 1),
        ("negative header count", "1c 00 00 00 04 6b31 04 7631 01 02 68 02 78 10 00 0a 02 01 04 7632 00", 2, 1),
        ("null header key", "1c 00 00 00 04 6b31 04 7631 02 01 68 02 78 10 00 0a 02 01 04 7632 00", 2, 1),
        ("varint longer than 5 bytes", "1c 00 00 ffffffffff01 6b31 04 7631 02 02 68 02 78 10 00 0a 02 01 04 7632 00", 2, 1),
        ("negative record count", "1c 00 00 00 04 6b31 04 7631 02 02 68 02 78 10 00 0a 02 01 04 7632 00", -1, 1),
    ])
    func malformedRecordsThrow(name: String, records: String, recordCount: Int32, lastOffsetDelta: Int32) throws {
        let bytes = Self.batch(records: records, recordCount: recordCount, lastOffsetDelta: lastOffsetDelta)
        do {
            let batch = try RecordBatch(bytes: bytes)
            #expect(throws: KafkaDecodingError.self, "\(name)") { try batch.records(maxDecompressedSize: Self.maxSize) }
        } catch {
            // Framing checks may catch some of these first (negative record count).
            #expect(recordCount < 0, "\(name): \(error)")
        }
    }

    @Test func everyTruncatedRecordsSectionThrowsKafkaDecodingError() throws {
        let good = Self.hex(Self.handBuiltBatch)
        for cut in RecordBatchHeader.size..<good.readableBytes {
            let bytes = Self.resealed(good.getSlice(at: 0, length: cut)!, recordCount: 2, lastOffsetDelta: 1, attributes: 0)
            let batch = try RecordBatch(bytes: bytes)
            #expect(throws: KafkaDecodingError.self, "cut at \(cut)") { try batch.records(maxDecompressedSize: Self.maxSize) }
        }
    }

    @Test func compressedBatchBombAndGarbage() throws {
        // One record with a 4 MiB value of zeroes: tiny when compressed.
        for codec in [CompressionCodec.gzip, .snappy, .lz4, .zstd] {
            var builder = RecordBatchBuilder(compression: codec)
            builder.append(key: nil, value: ByteBuffer(repeating: 0, count: 4 << 20), timestamp: 0)
            let batch = try RecordBatch(bytes: builder.build())
            #expect(batch.bytes.readableBytes < 1 << 20)
            #expect(throws: CompressionError.outputLimitExceeded(codec: codec, limit: 1 << 20)) {
                try batch.forEachRecord(maxDecompressedSize: 1 << 20) { _ in Issue.record("record from a bomb") }
            }
            #expect(try batch.records(maxDecompressedSize: 8 << 20).first?.value?.readableBytes == 4 << 20)

            // A valid CRC over a records section that is not valid compressed data.
            let garbage = Self.batch(records: "0102030405060708090a0b0c0d0e0f", recordCount: 1, lastOffsetDelta: 0, attributes: Int16(codec.rawValue))
            let garbageBatch = try RecordBatch(bytes: garbage)
            #expect(throws: CompressionError.self) { try garbageBatch.records(maxDecompressedSize: Self.maxSize) }
        }
    }

    @Test func compressedRecordsThatAreMalformedThrowKafkaDecodingError() throws {
        // Valid zstd wrapping records that claim a length past their end.
        let inner = try CompressionCodec.zstd.compress(Self.hex("7f 00 00 00 00 00 00"), allocator: ByteBufferAllocator())
        var bytes = Self.hex(Self.handBuiltBatch).getSlice(at: 0, length: RecordBatchHeader.size)!
        bytes.writeImmutableBuffer(inner)
        let batch = try RecordBatch(bytes: Self.resealed(bytes, recordCount: 1, lastOffsetDelta: 0, attributes: 4))
        #expect(throws: KafkaDecodingError.self) { try batch.records(maxDecompressedSize: Self.maxSize) }
    }

    @Test func unknownCompressionCodecIsRefused() throws {
        let bytes = Self.batch(records: "1c 00 00 00 04 6b31 04 7631 02 02 68 02 78 10 00 0a 02 01 04 7632 00", attributes: 5)
        #expect(throws: RecordBatchError.unsupportedCompression(batchIndex: 0, codecID: 5)) { try RecordBatch.validateBatches(bytes) }
        #expect(RecordBatchError.unsupportedCompression(batchIndex: 0, codecID: 5).kafkaErrorCode == .unsupportedCompressionType)
    }

    @Test func hostileHeaderValuesDoNotTrap() throws {
        // baseOffset and baseTimestamp at Int64.max: offsets and timestamps wrap instead of trapping.
        var bytes = Self.hex(Self.handBuiltBatch)
        bytes.setInteger(Int64.max, at: 0, endianness: .big)
        bytes.setInteger(Int64.max, at: 27, endianness: .big)
        let batch = try RecordBatch(bytes: Self.resealed(bytes, recordCount: 2, lastOffsetDelta: 1, attributes: 0))
        let records = try batch.records(maxDecompressedSize: Self.maxSize)
        #expect(records.count == 2)
        _ = batch.header.lastOffset
    }
}
