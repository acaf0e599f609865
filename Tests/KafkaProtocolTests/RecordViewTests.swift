import NIOCore
import Testing
@testable import KafkaProtocol

/// ``RecordView`` must see exactly what ``Record`` sees, and refuse exactly what it refuses:
/// the broker validates and hashes through views but stores and serves through records.
@Suite("RecordView")
struct RecordViewTests {
    static let maxSize = 64 << 20

    private static func sampleBatch(compression: CompressionCodec = .none, logAppendTime: Bool = false) throws -> ByteBuffer {
        var builder = RecordBatchBuilder(baseOffset: 500, compression: compression)
        for i in 0..<7 {
            let key: ByteBuffer? = i % 3 == 1 ? nil : ByteBuffer(string: "key-\(i)")
            let value: ByteBuffer? = i % 4 == 3 ? nil : ByteBuffer(string: String(repeating: "v\(i)", count: i * 9))
            var headers = [RecordHeader(key: "h\(i)", value: ByteBuffer(string: "x\(i)"))]
            if i % 2 == 0 { headers.append(RecordHeader(key: "null", value: nil)) }
            builder.append(key: key, value: value, headers: i == 5 ? [] : headers, timestamp: 1_700_000_000_000 - Int64(i) * 10)
        }
        var bytes = try builder.build()
        if logAppendTime {
            // Set the attribute bit without a CRC fix: the views are made with verifyCRC false.
            let at = bytes.readerIndex + RecordBatchHeader.attributesOffset
            let attributes: Int16 = bytes.getInteger(at: at)!
            bytes.setInteger(attributes | 0x08, at: at)
        }
        return bytes
    }

    private struct Seen: Equatable {
        var offset: Int64, timestamp: Int64, offsetDelta: Int32
        var key: [UInt8]?, value: [UInt8]?
        var headers: [[UInt8]?]
    }

    private static func viaRecords(_ batch: RecordBatch) throws -> [Seen] {
        try batch.records(maxDecompressedSize: maxSize).map { record in
            var headers: [[UInt8]?] = []
            for header in record.headers {
                headers.append(Array(header.key.utf8))
                headers.append(header.value.map { Array($0.readableBytesView) })
            }
            return Seen(offset: record.offset, timestamp: record.timestamp, offsetDelta: record.offsetDelta,
                        key: record.key.map { Array($0.readableBytesView) }, value: record.value.map { Array($0.readableBytesView) },
                        headers: headers)
        }
    }

    private static func viaViews(_ batch: RecordBatch, baseOffset: Int64? = nil) throws -> [Seen] {
        var seen: [Seen] = []
        try batch.forEachRecordView(baseOffset: baseOffset, maxDecompressedSize: maxSize) { seen.append(Self.seen($0)) }
        return seen
    }

    private static func seen(_ view: RecordView) -> Seen {
        var headers: [[UInt8]?] = []
        view.forEachHeader { key, value in
            // Record decodes header keys to String (invalid UTF-8 becomes U+FFFD); compare alike.
            headers.append(Array(String(decoding: key, as: UTF8.self).utf8))
            headers.append(value.map { Array($0) })
        }
        #expect(headers.count == 2 * view.headerCount)
        return Seen(offset: view.offset, timestamp: view.timestamp, offsetDelta: view.offsetDelta,
                    key: view.key.map { Array($0) }, value: view.value.map { Array($0) }, headers: headers)
    }

    @Test(arguments: CompressionCodec.allCases)
    func viewsSeeWhatRecordsSee(compression: CompressionCodec) throws {
        let batch = try RecordBatch(bytes: Self.sampleBatch(compression: compression))
        let records = try Self.viaRecords(batch)
        #expect(records.count == 7)
        #expect(try Self.viaViews(batch) == records)
    }

    @Test func logAppendTimeUsesTheBatchMaxTimestamp() throws {
        let batch = try RecordBatch(bytes: Self.sampleBatch(logAppendTime: true), verifyCRC: false)
        let views = try Self.viaViews(batch)
        #expect(views.allSatisfy { $0.timestamp == batch.header.maxTimestamp })
        #expect(views == (try Self.viaRecords(batch)))
    }

    @Test func baseOffsetOverrideShiftsEveryOffset() throws {
        let batch = try RecordBatch(bytes: Self.sampleBatch())
        let shifted = try Self.viaViews(batch, baseOffset: 9_000)
        #expect(shifted.map(\.offset) == (0..<7).map { 9_000 + Int64($0) })
    }

    /// Chunks hold the same views in the same order, `chunkSize` at a time, their bytes valid
    /// for the whole call (a compressed batch's records live only during the walk).
    @Test(arguments: [1, 2, 3, 7, 64], CompressionCodec.allCases)
    func chunksHoldTheViewsInOrder(chunkSize: Int, compression: CompressionCodec) throws {
        let batch = try RecordBatch(bytes: Self.sampleBatch(compression: compression))
        var sizes: [Int] = []
        var seen: [Seen] = []
        try batch.forEachRecordViewChunk(baseOffset: 9_000, maxDecompressedSize: Self.maxSize, chunkSize: chunkSize) { chunk in
            sizes.append(chunk.count)
            seen.append(contentsOf: chunk.map(Self.seen))
        }
        #expect(seen == (try Self.viaViews(batch, baseOffset: 9_000)))
        #expect(sizes == Array(repeating: chunkSize, count: 7 / chunkSize) + (7 % chunkSize == 0 ? [] : [7 % chunkSize]))
    }

    /// A record that does not parse: the chunk walk hands over every record before it, then
    /// throws what the one-by-one walk throws. An error of `body` ends the walk unchanged.
    @Test func chunksEndAtABadRecordAfterTheRecordsBeforeIt() throws {
        var bytes = try Self.sampleBatch()
        let batch = try RecordBatch(bytes: bytes)
        // The fourth record's length varint set to 1, zigzag for -1: it does not parse.
        let sectionStart = bytes.readerIndex + RecordBatchHeader.size
        var lengths: [Int] = []
        try batch.forEachRecordView(maxDecompressedSize: Self.maxSize) { lengths.append($0.rawBytes.count) }
        bytes.setInteger(UInt8(0x01), at: sectionStart + lengths[0..<3].reduce(0, +))
        let broken = try RecordBatch(bytes: bytes, verifyCRC: false)

        var oneByOne: [Int64] = []
        let walkError = #expect(throws: KafkaDecodingError.self) {
            try broken.forEachRecordView(maxDecompressedSize: Self.maxSize) { oneByOne.append($0.offset) }
        }
        for chunkSize in [1, 2, 64] {
            var chunked: [Int64] = []
            let chunkError = #expect(throws: KafkaDecodingError.self) {
                try broken.forEachRecordViewChunk(maxDecompressedSize: Self.maxSize, chunkSize: chunkSize) { chunked.append(contentsOf: $0.map(\.offset)) }
            }
            #expect(chunked == oneByOne)
            #expect(chunked.count == 3)
            #expect("\(String(describing: chunkError))" == "\(String(describing: walkError))")
        }

        struct Stop: Error {}
        var calls = 0
        #expect(throws: Stop.self) {
            try batch.forEachRecordViewChunk(maxDecompressedSize: Self.maxSize, chunkSize: 2) { _ in
                calls += 1
                throw Stop()
            }
        }
        #expect(calls == 1)
    }

    /// Every single-byte change and every shortening of the records section: both parsers
    /// refuse, or both accept with the same fields. Nothing traps.
    @Test func corruptRecordsAreRefusedAlike() throws {
        let original = try Self.sampleBatch()
        let headerEnd = original.readerIndex + RecordBatchHeader.size
        var generator = SystemRandomNumberGenerator()
        var checked = 0
        func compare(_ bytes: ByteBuffer) {
            guard let batch = try? RecordBatch(bytes: bytes, verifyCRC: false) else { return }
            let records = Result { try Self.viaRecords(batch) }
            let views = Result { try Self.viaViews(batch) }
            switch (records, views) {
            case (.success(let a), .success(let b)): #expect(a == b)
            case (.failure, .failure): break
            default: Issue.record("parsers disagree: records \(records), views \(views)")
            }
            checked += 1
        }
        for index in headerEnd..<original.writerIndex {
            var mutated = original
            let old: UInt8 = mutated.getInteger(at: index)!
            mutated.setInteger(old ^ UInt8.random(in: 1...255, using: &generator), at: index)
            compare(mutated)
            // Cut the section short, keeping the batch length consistent with the bytes.
            var cut = original.getSlice(at: original.readerIndex, length: index - original.readerIndex)!
            cut.setInteger(Int32(cut.readableBytes - RecordBatchHeader.logOverhead), at: cut.readerIndex + 8)
            compare(cut)
        }
        // Header fields the record parser relies on: record count and last offset delta.
        for (offset, values) in [(57, [Int32(-1), 0, 6, 8, 1 << 30]), (23, [Int32(-1), 0, 3, 6, 7])] {
            for value in values {
                var mutated = original
                mutated.setInteger(value, at: original.readerIndex + offset)
                compare(mutated)
            }
        }
        #expect(checked > 2 * (original.writerIndex - headerEnd) - 10)
    }
}
