import Logging
import NIOCore

/// First handler of a connection: closes it at once when the listener already has
/// ``ConnectionCounter/limit`` connections open, as Kafka does for `max.connections`.
///
/// A refused connection is invisible to the handlers behind it: neither its activation nor its
/// closing is passed on, so connection metrics count only connections that were served.
final class ConnectionLimitHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let counter: ConnectionCounter
    private let logger: Logger
    private var holdsSlot = false

    init(counter: ConnectionCounter, logger: Logger) {
        self.counter = counter
        self.logger = logger
    }

    func channelActive(context: ChannelHandlerContext) {
        guard counter.tryAcquire() else {
            logger.warning(
                "refusing connection: \(counter.limit) connections open (--max-connections)",
                metadata: ["peer": "\(context.remoteAddress.map { "\($0)" } ?? "?")"])
            context.close(promise: nil)
            return
        }
        holdsSlot = true
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard holdsSlot else { return }
        context.fireChannelRead(data)
    }

    func channelInactive(context: ChannelHandlerContext) {
        guard holdsSlot else { return }
        holdsSlot = false
        counter.release()
        context.fireChannelInactive()
    }
}
