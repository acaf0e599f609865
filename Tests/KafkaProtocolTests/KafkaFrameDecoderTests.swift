import NIOCore
import NIOEmbedded
import Testing
@testable import KafkaProtocol

@Suite struct KafkaFrameDecoderTests {
    private func makeChannel(maxFrameSize: Int = KafkaFrameDecoder.defaultMaxFrameSize) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(KafkaFrameDecoder(maxFrameSize: maxFrameSize)))
        return channel
    }

    @Test func partialFramesAreBuffered() throws {
        let channel = try makeChannel()
        try channel.writeInbound(hexBuffer("0000"))
        #expect(try channel.readInbound(as: ByteBuffer.self) == nil)
        try channel.writeInbound(hexBuffer("0005 0102"))
        #expect(try channel.readInbound(as: ByteBuffer.self) == nil)
        try channel.writeInbound(hexBuffer("0304"))
        #expect(try channel.readInbound(as: ByteBuffer.self) == nil)
        try channel.writeInbound(hexBuffer("05"))
        #expect(try channel.readInbound(as: ByteBuffer.self) == hexBuffer("0102030405"))
        #expect(try channel.finish().isClean)
    }

    @Test func twoFramesInOneRead() throws {
        let channel = try makeChannel()
        try channel.writeInbound(hexBuffer("00000002 aabb 00000000 00000001 cc 0000"))
        #expect(try channel.readInbound(as: ByteBuffer.self) == hexBuffer("aabb"))
        #expect(try channel.readInbound(as: ByteBuffer.self) == ByteBuffer())
        #expect(try channel.readInbound(as: ByteBuffer.self) == hexBuffer("cc"))
        #expect(try channel.readInbound(as: ByteBuffer.self) == nil)
        try channel.writeInbound(hexBuffer("0001 dd"))
        #expect(try channel.readInbound(as: ByteBuffer.self) == hexBuffer("dd"))
        _ = try channel.finish()
    }

    /// Large frames streamed in 64 KiB reads, each after the tail of the previous one, while
    /// every decoded frame is kept (as the audit chain keeps stored batches): all arrive intact.
    @Test func largeFramesSpanningReadsArriveIntactWhileEarlierFramesAreHeld() throws {
        let channel = try makeChannel()
        var stream = ByteBuffer()
        var expected: [ByteBuffer] = []
        for index in 0..<6 {
            let body = ByteBuffer(bytes: (0..<(300_000 + index * 7_777)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ index) })
            expected.append(body)
            stream.writeKafkaFrame { $0.writeImmutableBuffer(body) }
        }
        var held: [ByteBuffer] = []
        while let chunk = stream.readSlice(length: min(65_536, stream.readableBytes)) {
            try channel.writeInbound(chunk)
            while let frame = try channel.readInbound(as: ByteBuffer.self) { held.append(frame) }
            if stream.readableBytes == 0 { break }
        }
        #expect(held == expected)
        #expect(try channel.finish().isClean)
    }

    /// A large frame that starts behind earlier bytes moves into a buffer of its own, sized
    /// for the whole frame, so that nothing is left for NIO to compact.
    @Test func aLargePartialFrameMovesToABufferOfItsOwn() {
        var buffer = ByteBuffer()
        buffer.writeKafkaFrame { $0.writeRepeatingByte(1, count: 10) }
        buffer.writeInteger(Int32(200_000))
        buffer.writeRepeatingByte(2, count: 5_000)
        let earlier = try? KafkaFrameDecoder.readFrame(from: &buffer)
        #expect(earlier?.readableBytes == 10)
        #expect(buffer.readerIndex == 14)
        KafkaFrameDecoder.reserveRestOfFrame(in: &buffer)
        #expect(buffer.readerIndex == 0)
        #expect(buffer.readableBytes == 5_004)
        #expect(buffer.capacity >= 200_004)
        #expect(buffer.getInteger(at: 0, as: Int32.self) == 200_000)
        // A small frame behind earlier bytes is left where it is.
        var small = ByteBuffer()
        small.writeKafkaFrame { $0.writeRepeatingByte(1, count: 10) }
        small.writeInteger(Int32(100))
        _ = try? KafkaFrameDecoder.readFrame(from: &small)
        KafkaFrameDecoder.reserveRestOfFrame(in: &small)
        #expect(small.readerIndex == 14)
    }

    @Test func tooLargeFrameIsAnError() throws {
        let channel = try makeChannel(maxFrameSize: 1024)
        #expect(throws: KafkaFrameError.frameTooLarge(1025, max: 1024)) {
            try channel.writeInbound(hexBuffer("00000401"))
        }
        _ = try? channel.finish()
    }

    @Test func defaultMaximumIs100MiB() throws {
        #expect(KafkaFrameDecoder().maxFrameSize == 100 * 1024 * 1024)
        let channel = try makeChannel()
        #expect(throws: KafkaFrameError.frameTooLarge(0x7fffffff, max: 100 * 1024 * 1024)) {
            try channel.writeInbound(hexBuffer("7fffffff"))
        }
        _ = try? channel.finish()
    }

    @Test func negativeLengthIsAnError() throws {
        let channel = try makeChannel()
        #expect(throws: KafkaFrameError.negativeLength(-1)) {
            try channel.writeInbound(hexBuffer("ffffffff 00"))
        }
        _ = try? channel.finish()
    }

    @Test func leftoverBytesAtEOFAreNotEmitted() throws {
        let channel = try makeChannel()
        try channel.writeInbound(hexBuffer("00000004 0102"))
        #expect(try channel.readInbound(as: ByteBuffer.self) == nil)
        // A cut-short frame at end of stream is dropped, never emitted as a short body.
        _ = try? channel.finish()
        #expect(try channel.readInbound(as: ByteBuffer.self) == nil)
    }

    @Test func writeKafkaFrameBackfillsTheLength() {
        var buffer = ByteBuffer()
        buffer.writeKafkaFrame { body in
            body.writeInteger(0x0102, endianness: .big, as: Int16.self)
            body.writeKafkaString("abc")
        }
        #expect(hexString(buffer) == "00000007" + "0102" + "0003616263")
        var empty = ByteBuffer(string: "x")
        empty.writeKafkaFrame { _ in }
        #expect(hexString(empty) == "78" + "00000000")
    }

    @Test func frameRoundTripThroughDecoder() throws {
        var buffer = ByteBuffer()
        buffer.writeKafkaFrame { body in
            RequestHeader(apiKey: .metadata, apiVersion: 4, correlationId: 9, clientId: "c").write(to: &body)
            MetadataRequest(topics: [.init(name: "t")]).write(to: &body, version: 4)
        }
        let channel = try makeChannel()
        try channel.writeInbound(buffer)
        var frame = try #require(try channel.readInbound(as: ByteBuffer.self))
        let header = try RequestHeader(from: &frame)
        #expect(header.correlationId == 9)
        let request = try MetadataRequest(from: &frame, version: header.apiVersion)
        #expect(request.topics?.first?.name == "t")
        #expect(frame.readableBytes == 0)
        #expect(try channel.finish().isClean)
    }
}
