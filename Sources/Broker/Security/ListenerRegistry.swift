import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL

/// The broker's listeners by bound port, so each accepted connection gets the protocol of
/// the listener it came in on (TLS handlers, SASL state) and sees that listener advertised.
final class ListenerRegistry: Sendable {
    private struct Bound: Sendable {
        var protocolName: ListenerProtocol
        var advertised: (host: String, port: Int32)?
    }

    private let security: BrokerSecurity
    private let bound = NIOLockedValueBox<[Int: Bound]>([:])

    init(security: BrokerSecurity) {
        self.security = security
    }

    /// Records the plaintext `--listen` listener, advertised as the broker's configured address.
    func registerPlaintext(port: Int) {
        bound.withLockedValue { $0[port] = Bound(protocolName: .plaintext, advertised: nil) }
    }

    /// Prepares an accepted connection: TLS first in its pipeline when the listener uses TLS.
    /// A connection on no known listener is refused (fail closed).
    func prepare(_ channel: any Channel) throws -> ConnectionSession {
        guard let port = channel.localAddress?.port, let listener = bound.withLockedValue({ $0[port] }) else {
            throw ChannelError.inappropriateOperationForState
        }
        let session = ConnectionSession(listener: listener.protocolName, advertised: listener.advertised)
        if listener.protocolName.usesTLS, let context = security.tlsContext {
            let sync = channel.pipeline.syncOperations
            try sync.addHandler(NIOSSLServerHandler(context: context))
            try sync.addHandler(TLSPrincipalHandler(session: session))
        }
        return session
    }

    /// Binds each configured secure listener with `bootstrap` (so it gets the same pipeline).
    func bindSecureListeners(_ bootstrap: ServerBootstrap, logger: Logger) async throws -> [any Channel] {
        var channels: [any Channel] = []
        for listener in security.configuration.listeners {
            let channel = try await bootstrap.bind(host: listener.host, port: listener.port).get()
            let port = channel.localAddress?.port ?? listener.port
            let host = listener.host == "0.0.0.0" || listener.host == "::" ? "127.0.0.1" : listener.host
            bound.withLockedValue { $0[port] = Bound(protocolName: listener.protocolName, advertised: (host, Int32(port))) }
            logger.info("eventd listening", metadata: ["address": "\(host):\(port)", "protocol": "\(listener.protocolName.rawValue)"])
            channels.append(channel)
        }
        return channels
    }
}
