import Logging
import NIOCore
import NIOEmbedded
import Testing
@testable import Broker

@Suite struct PartialFrameTimeoutHandlerTests {
    private func makeChannel(timeoutMs: Int64 = 1_000) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(
            PartialFrameTimeoutHandler(timeout: .milliseconds(timeoutMs), logger: Logger(label: "test")))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 9)).wait()
        return channel
    }

    private func bytes(_ values: [UInt8]) -> ByteBuffer { ByteBuffer(bytes: values) }

    /// One socket read cycle followed, as with auto-read, by the request for the next read.
    private func deliver(_ channel: EmbeddedChannel, _ buffer: ByteBuffer) throws {
        try channel.writeInbound(buffer)
        channel.read()
    }

    @Test func anIncompleteFrameIsClosedAtTheDeadline() throws {
        let channel = try makeChannel()
        try deliver(channel, bytes([0, 0, 0, 10, 1, 2, 3]))
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(999))
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(1))
        #expect(!channel.isActive)
    }

    @Test func aTrickleDoesNotExtendTheDeadline() throws {
        let channel = try makeChannel()
        try deliver(channel, bytes([0, 0, 0, 100]))
        for _ in 0..<3 {
            channel.embeddedEventLoop.advanceTime(by: .milliseconds(300))
            try deliver(channel, bytes([7]))
        }
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(100))
        #expect(!channel.isActive)
    }

    @Test func aHalfSentSizePrefixCounts() throws {
        let channel = try makeChannel()
        try deliver(channel, bytes([0, 0]))
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(1_000))
        #expect(!channel.isActive)
    }

    @Test func completeFramesAndIdleTimeAreLeftAlone() throws {
        let channel = try makeChannel()
        try deliver(channel, bytes([0, 0, 0, 2, 0xaa]))
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(900))
        try deliver(channel, bytes([0xbb]))
        channel.embeddedEventLoop.advanceTime(by: .seconds(10))
        #expect(channel.isActive, "idle between frames is fine")
        // Bytes pass through untouched.
        #expect(try channel.readInbound(as: ByteBuffer.self) == bytes([0, 0, 0, 2, 0xaa]))
        #expect(try channel.readInbound(as: ByteBuffer.self) == bytes([0xbb]))
        #expect(try channel.finish().isClean)
    }

    @Test func theClockRestartsForEachFrame() throws {
        let channel = try makeChannel()
        // Frame 1 starts, then completes 800 ms later in the same read that starts frame 2.
        try deliver(channel, bytes([0, 0, 0, 1]))
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(800))
        try deliver(channel, bytes([0x01, 0, 0, 0, 0, 0, 0, 0, 3, 0x02]))
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(800))
        #expect(channel.isActive, "frame 2 (after an empty frame) has had only 800 ms")
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(200))
        #expect(!channel.isActive)
    }

    @Test func timeWithoutAReadOutstandingDoesNotCount() throws {
        let channel = try makeChannel()
        // 400 ms of waiting for the rest of the frame...
        channel.read()
        try channel.writeInbound(bytes([0, 0, 0, 10, 1]))
        channel.read()
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(400))
        // ...then a read cycle ends and nothing asks for the next one: the broker holds reads back.
        try channel.writeInbound(bytes([2]))
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(5_000))
        #expect(channel.isActive, "the client cannot be blamed while the broker does not read")
        // Reading again, the client has what is left of its timeout.
        channel.read()
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(599))
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(1))
        #expect(!channel.isActive)
    }
}
