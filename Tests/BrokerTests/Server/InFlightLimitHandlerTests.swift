import NIOCore
import NIOEmbedded
import Testing
@testable import Broker

@Suite struct InFlightLimitHandlerTests {
    /// Sits at the head of the pipeline and counts the read requests that get through.
    final class ReadCounter: ChannelOutboundHandler {
        typealias OutboundIn = ByteBuffer
        var reads = 0
        func read(context: ChannelHandlerContext) {
            reads += 1
            context.read()
        }
    }

    /// A request frame as the decoder hands it on: `size` bytes on the wire, prefix stripped.
    private func frame(size: Int) -> ByteBuffer {
        ByteBuffer(repeating: 0x2a, count: size - 4)
    }

    private func makeChannel(maxBytes: Int) throws -> (EmbeddedChannel, ReadCounter, InFlightLimitHandler) {
        let counter = ReadCounter()
        let limiter = InFlightLimitHandler(maxBytes: maxBytes)
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(counter)
        try channel.pipeline.syncOperations.addHandler(limiter)
        return (channel, counter, limiter)
    }

    @Test func readingStopsAtTheLimitAndResumesWhenAnswered() throws {
        let (channel, counter, limiter) = try makeChannel(maxBytes: 100)
        try channel.writeInbound(frame(size: 60))
        channel.read()
        #expect(counter.reads == 1, "below the limit reads go through")
        try channel.writeInbound(frame(size: 60))
        #expect(limiter.inFlightBytes == 120)
        channel.read()
        channel.read()
        #expect(counter.reads == 1, "at the limit reads are held")
        // The requests were still handed on; answering the first brings it under the limit.
        #expect(try channel.readInbound(as: ByteBuffer.self)?.readableBytes == 56)
        try channel.writeOutbound(ByteBuffer(string: "response 1"))
        #expect(limiter.inFlightBytes == 60)
        #expect(counter.reads == 2, "the held read is issued once the bytes drop below the limit")
        try channel.writeOutbound(ByteBuffer(string: "response 2"))
        #expect(limiter.inFlightBytes == 0)
        #expect(counter.reads == 2, "no read was pending any more")
        _ = try channel.finish()
    }

    @Test func aResponseCountsUntilItIsWrittenToTheSocket() throws {
        let (channel, counter, limiter) = try makeChannel(maxBytes: 100)
        try channel.writeInbound(frame(size: 150))
        channel.read()
        #expect(counter.reads == 0)
        // Answered but not flushed (a client that does not read its responses): still held.
        channel.write(ByteBuffer(string: "response"), promise: nil)
        #expect(limiter.inFlightBytes == 150)
        #expect(counter.reads == 0)
        channel.flush()
        #expect(limiter.inFlightBytes == 0)
        #expect(counter.reads == 1)
        _ = try channel.finish()
    }

    @Test func aRequestWithoutResponseIsReleasedAtOnce() throws {
        let (channel, counter, limiter) = try makeChannel(maxBytes: 100)
        try channel.writeInbound(frame(size: 40))
        try channel.writeInbound(frame(size: 70))
        channel.read()
        #expect(counter.reads == 0)
        // The handler behind signals that the request it is handling (the last) gets no response.
        channel.pipeline.triggerUserOutboundEvent(InFlightLimitHandler.RequestWithoutResponse(), promise: nil)
        #expect(limiter.inFlightBytes == 40)
        #expect(counter.reads == 1)
        // The remaining response releases the first request's bytes, not the acks=0 one's.
        try channel.writeOutbound(ByteBuffer(string: "response"))
        #expect(limiter.inFlightBytes == 0)
        _ = try channel.finish()
    }

    @Test func otherOutboundEventsPassThrough() throws {
        struct Other: Sendable {}
        final class EventRecorder: ChannelOutboundHandler {
            typealias OutboundIn = ByteBuffer
            var events = 0
            func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
                events += 1
                promise?.succeed()
            }
        }
        let recorder = EventRecorder()
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(recorder)
        try channel.pipeline.syncOperations.addHandler(InFlightLimitHandler(maxBytes: 10))
        channel.pipeline.triggerUserOutboundEvent(Other(), promise: nil)
        channel.pipeline.triggerUserOutboundEvent(InFlightLimitHandler.RequestWithoutResponse(), promise: nil)
        #expect(recorder.events == 1)
        _ = try channel.finish()
    }
}
