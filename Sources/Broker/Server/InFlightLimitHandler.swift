import NIOCore

/// Backpressure per connection: counts the bytes of request frames from their arrival until their
/// response has been written to the socket, and stops reading from the connection while they add
/// up to `maxBytes` or more.
///
/// Sits between the frame decoder and the request handler. Responses leave in request order, so
/// each response written releases the oldest request still waiting. A client that pipelines
/// faster than it is answered, or does not read its responses, is simply not read from for a
/// while; others on the same event loop keep being served. The limit is soft by at most one read
/// cycle: what the socket already delivered is still decoded and handled.
final class InFlightLimitHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Sent outbound by the request handler, while it handles a request, when that request gets no
    /// response (Produce with acks=0); it releases the request's bytes at once.
    struct RequestWithoutResponse: Sendable {}

    private let maxBytes: Int
    /// Sizes of the requests not yet answered, oldest first.
    private var unanswered = CircularBuffer<Int>()
    /// Bytes of unanswered requests plus requests whose response is not yet on the socket.
    private(set) var inFlightBytes = 0
    private var readHeld = false

    init(maxBytes: Int) {
        self.maxBytes = maxBytes
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        // The frame decoder strips the 4-byte size prefix.
        let size = unwrapInboundIn(data).readableBytes + 4
        unanswered.append(size)
        inFlightBytes += size
        context.fireChannelRead(data)
    }

    func read(context: ChannelHandlerContext) {
        if inFlightBytes >= maxBytes {
            readHeld = true
        } else {
            context.read()
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard let size = unanswered.popFirst() else {
            context.write(data, promise: promise)
            return
        }
        let written = promise ?? context.eventLoop.makePromise()
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        written.futureResult.whenComplete { _ in
            let (handler, context) = loopBound.value
            handler.release(size, context: context)
        }
        context.write(data, promise: written)
    }

    func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        guard event is RequestWithoutResponse else {
            context.triggerUserOutboundEvent(event, promise: promise)
            return
        }
        // Raised while the request is being handled, so it is the one read last.
        if let size = unanswered.popLast() {
            release(size, context: context)
        }
        promise?.succeed()
    }

    private func release(_ size: Int, context: ChannelHandlerContext) {
        inFlightBytes -= size
        if readHeld, inFlightBytes < maxBytes {
            readHeld = false
            context.read()
        }
    }
}
