import Logging
import NIOCore

/// Closes a connection that started a request frame and did not finish it within `timeout`
/// (slowloris: a size prefix and then a trickle, or nothing, holding a buffer and a connection).
///
/// Sits before the frame decoder and follows frame boundaries itself: it reads only the 4-byte
/// size prefixes and skips frame bodies by count, so it costs nothing per byte. The clock starts
/// when a frame's first byte arrives; idle connections between frames and complete frames, however
/// slowly they follow each other, are left alone. A negative size is left to the decoder, which
/// rejects it.
///
/// Only time during which the broker wants bytes counts: while ``InFlightLimitHandler`` holds
/// reads back (the client is slow to take its responses) no read is outstanding and the clock
/// stops, so backpressure never turns into a disconnection.
final class PartialFrameTimeoutHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer

    private let timeout: TimeAmount
    private var logger: Logger
    /// Body bytes of the current frame still to come.
    private var remainingBody = 0
    /// Size-prefix bytes of the next frame seen so far (0...3) and their value.
    private var prefixBytes = 0
    private var prefix: UInt32 = 0
    private var deadline: Scheduled<Void>?
    /// Time the current frame has been waited for in earlier read cycles.
    private var waited = TimeAmount.zero
    /// Since when a read is outstanding (the broker is waiting for bytes); nil while reads are held.
    private var readingSince: NIODeadline?

    init(timeout: TimeAmount, logger: Logger) {
        self.timeout = timeout
        self.logger = logger
    }

    var isMidFrame: Bool { remainingBody > 0 || prefixBytes > 0 }

    func read(context: ChannelHandlerContext) {
        if readingSince == nil { readingSince = context.eventLoop.now }
        context.read()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        var index = buffer.readerIndex
        let end = buffer.writerIndex
        var completedFrame = false
        while index < end {
            if remainingBody > 0 {
                let skip = min(remainingBody, end - index)
                remainingBody -= skip
                index += skip
                completedFrame = completedFrame || remainingBody == 0
                continue
            }
            prefix = prefix << 8 | UInt32(buffer.getInteger(at: index, as: UInt8.self)!)
            prefixBytes += 1
            index += 1
            if prefixBytes == 4 {
                remainingBody = max(Int(Int32(bitPattern: prefix)), 0)
                completedFrame = completedFrame || remainingBody == 0
                prefixBytes = 0
                prefix = 0
            }
        }
        if completedFrame || !isMidFrame {
            // A new frame's clock starts now.
            deadline?.cancel()
            deadline = nil
            waited = .zero
            readingSince = context.eventLoop.now
        }
        if isMidFrame, deadline == nil {
            arm(in: timeout - waited, context: context)
        }
        context.fireChannelRead(data)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        // With auto-read the channel asks for the next read right after this, unless a handler
        // behind holds it back; the time until then is not the client's.
        if let since = readingSince, isMidFrame {
            waited = waited + (context.eventLoop.now - since)
        }
        readingSince = nil
        context.fireChannelReadComplete()
    }

    private func arm(in delay: TimeAmount, context: ChannelHandlerContext) {
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        deadline = context.eventLoop.scheduleTask(in: max(delay, .milliseconds(1))) {
            let (handler, context) = loopBound.value
            handler.expire(context: context)
        }
    }

    private func expire(context: ChannelHandlerContext) {
        deadline = nil
        guard isMidFrame else { return }
        guard let since = readingSince else {
            // Reads are held back: look again later rather than spin.
            arm(in: timeout, context: context)
            return
        }
        let total = waited + (context.eventLoop.now - since)
        guard total >= timeout else {
            arm(in: timeout - total, context: context)
            return
        }
        logger.warning(
            "closing connection: request frame incomplete after \(timeout.nanoseconds / 1_000_000) ms",
            metadata: ["peer": "\(context.remoteAddress.map { "\($0)" } ?? "?")"])
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
    }
}
