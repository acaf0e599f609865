import Logging
import NIOCore
import NIOEmbedded
import Testing
@testable import Broker

@Suite struct ConnectionLimitHandlerTests {
    /// Records what reaches the handlers behind the limiter.
    final class Recorder: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        var activations = 0
        var deactivations = 0
        var reads = 0
        func channelActive(context: ChannelHandlerContext) { activations += 1 }
        func channelInactive(context: ChannelHandlerContext) { deactivations += 1 }
        func channelRead(context: ChannelHandlerContext, data: NIOAny) { reads += 1 }
    }

    private func connect(_ counter: ConnectionCounter) throws -> (EmbeddedChannel, Recorder) {
        let recorder = Recorder()
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(ConnectionLimitHandler(counter: counter, logger: Logger(label: "test")))
        try channel.pipeline.syncOperations.addHandler(recorder)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 9)).wait()
        return (channel, recorder)
    }

    @Test func connectionsBeyondTheLimitAreClosedUnseen() throws {
        let counter = ConnectionCounter(limit: 2)
        let (first, firstSeen) = try connect(counter)
        let (second, _) = try connect(counter)
        let (third, thirdSeen) = try connect(counter)
        #expect(first.isActive && second.isActive)
        #expect(!third.isActive)
        #expect(counter.count == 2)
        #expect(firstSeen.activations == 1)
        // The refused connection never reached the handlers behind: no activation, no close, no data.
        _ = try? third.writeInbound(ByteBuffer(string: "data"))
        #expect(thirdSeen.activations == 0 && thirdSeen.deactivations == 0 && thirdSeen.reads == 0)
        _ = try first.finish()
        _ = try second.finish()
    }

    @Test func closingAConnectionFreesItsSlot() throws {
        let counter = ConnectionCounter(limit: 1)
        let (first, firstSeen) = try connect(counter)
        try first.writeInbound(ByteBuffer(string: "request"))
        #expect(firstSeen.reads == 1)
        _ = try first.finish()
        #expect(firstSeen.deactivations == 1)
        #expect(counter.count == 0)
        let (second, secondSeen) = try connect(counter)
        #expect(second.isActive)
        #expect(secondSeen.activations == 1)
        #expect(counter.count == 1)
        _ = try second.finish()
        #expect(counter.count == 0)
    }
}
