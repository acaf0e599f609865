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
