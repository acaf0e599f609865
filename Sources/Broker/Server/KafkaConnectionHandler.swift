import KafkaProtocol
import Logging
import NIOCore

/// One client connection: decodes request frames, hands them to the dispatcher and
/// writes the responses back in request order, as the Kafka protocol requires even when
/// a later request (a Metadata call) finishes before an earlier one (a long-polling Fetch).
final class KafkaConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let dispatcher: RequestDispatcher
    private var metrics: BrokerMetrics { dispatcher.core.metrics }
    private var closedForBadInput = false
    private var logger: Logger
    /// Responses not yet written, in request order; `nil` until the handler finishes.
    private var pending = CircularBuffer<PendingResponse>()
    private var nextSequence: UInt64 = 0
    private var firstPendingSequence: UInt64 = 0
    private var isClosing = false

    private struct PendingResponse {
        var frame: ByteBuffer?
        var done: Bool
    }

    private let session: ConnectionSession

    init(dispatcher: RequestDispatcher, logger: Logger, session: ConnectionSession = ConnectionSession()) {
        self.dispatcher = dispatcher
        self.session = session
        self.logger = logger
    }

    func channelActive(context: ChannelHandlerContext) {
        if let remote = context.remoteAddress {
            logger[metadataKey: "peer"] = "\(remote)"
        }
        logger.debug("connection opened")
        metrics.connectionOpened()
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !isClosing else { return }
        var frame = unwrapInboundIn(data)
        if session.rawSaslTokens {
            // SASL after a v0 handshake: bare tokens both ways (Security/RequestDispatcher+Sasl.swift).
            guard let reply = dispatcher.rawSaslToken(frame, session: session, clientHost: context.remoteAddress?.ipAddress ?? "") else {
                closeForBadInput(context: context, reason: "SASL authentication failed")
                return
            }
            context.writeAndFlush(wrapOutboundOut(reply), promise: nil)
            return
        }
        let header: RequestHeader
        do {
            header = try RequestHeader(from: &frame)
        } catch {
            closeForBadInput(context: context, reason: "malformed request header: \(error)")
            return
        }
        guard let apiKey = ApiKey(rawValue: header.apiKey) else {
            closeForBadInput(context: context, reason: "unknown api key \(header.apiKey)")
            return
        }
        metrics.request(apiKey)
        let request = KafkaRequest(apiKey: apiKey, header: header, body: frame, clientHost: context.remoteAddress?.ipAddress ?? "", session: session)
        let outcome: RequestOutcome
        do {
            outcome = try dispatcher.dispatch(request, eventLoop: context.eventLoop)
        } catch {
            closeForBadInput(context: context, reason: "\(apiKey.name) v\(header.apiVersion): \(error)")
            return
        }
        switch outcome {
        case .noResponse:
            context.triggerUserOutboundEvent(InFlightLimitHandler.RequestWithoutResponse(), promise: nil)
            return
        case .response(let future):
            let sequence = nextSequence
            nextSequence += 1
            pending.append(PendingResponse(frame: nil, done: false))
            // An ApiVersions request of a version we do not know is answered in v0 (KIP-511),
            // the one layout every client can read.
            let apiVersion = apiKey == .apiVersions && !SupportedApis.supports(apiKey, header.apiVersion) ? 0 : header.apiVersion
            let responseHeaderVersion = apiKey.responseHeaderVersion(apiVersion)
            let correlationID = header.correlationId
            let allocator = context.channel.allocator
            let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            future.hop(to: context.eventLoop).whenComplete { result in
                let (handler, context) = loopBound.value
                switch result {
                case .success(let body):
                    var buffer = allocator.buffer(capacity: 256)
                    buffer.writeKafkaFrame { out in
                        ResponseHeader(correlationId: correlationID).write(to: &out, version: responseHeaderVersion)
                        body.write(to: &out, version: apiVersion)
                    }
                    handler.complete(sequence: sequence, frame: buffer, context: context)
                case .failure(let error):
                    handler.logger.error("\(apiKey.name) v\(apiVersion) failed: \(error)")
                    handler.closeForBadInput(context: context, reason: "internal error handling \(apiKey.name): \(error)")
                }
            }
        }
    }

    private func complete(sequence: UInt64, frame: ByteBuffer, context: ChannelHandlerContext) {
        guard !isClosing else { return }
        let index = Int(sequence - firstPendingSequence)
        guard index >= 0, index < pending.count else { return }
        pending[pending.index(pending.startIndex, offsetBy: index)] = PendingResponse(frame: frame, done: true)
        var wrote = false
        while let first = pending.first, first.done {
            pending.removeFirst()
            firstPendingSequence += 1
            if let frame = first.frame {
                context.write(wrapOutboundOut(frame), promise: nil)
                wrote = true
            }
        }
        if wrote { context.flush() }
    }

    private func closeForBadInput(context: ChannelHandlerContext, reason: String) {
        guard !isClosing else { return }
        isClosing = true
        closedForBadInput = true
        logger.warning("closing connection: \(reason)")
        context.close(promise: nil)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        if let frameError = error as? KafkaFrameError {
            closeForBadInput(context: context, reason: "\(frameError)")
        } else if !isClosing {
            logger.debug("connection error: \(error)")
            isClosing = true
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        logger.debug("connection closed")
        metrics.connectionClosed(badInput: closedForBadInput)
        isClosing = true
        context.fireChannelInactive()
    }
}
