import NIOCore
import NIOSSL
import NIOTLS

/// Once the TLS handshake completes, names the session after the client certificate's
/// subject (`User:CN=…,O=…`, most specific first, as Kafka's SSL principals read).
final class TLSPrincipalHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    private let session: ConnectionSession

    init(session: ConnectionSession) {
        self.session = session
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case TLSUserEvent.handshakeCompleted = event,
           let certificate = try? context.pipeline.syncOperations.nioSSL_peerCertificate() {
            let dn = certificate.subjectName.reversed().map { "\(Self.shortName($0.type))=\($0.value)" }.joined(separator: ",")
            if !dn.isEmpty, !session.listener.usesSASL || session.principal == ConnectionSession.anonymous {
                session.principal = "User:\(dn)"
            }
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
        }
        context.fireUserInboundEventTriggered(event)
    }

    private static func shortName(_ type: SSLCertificateNameType) -> String {
        switch type {
        case .commonName: return "CN"
        case .organization: return "O"
        case .organizationalUnit: return "OU"
        case .country: return "C"
        case .state: return "ST"
        case .city: return "L"
        case .emailAddress: return "EMAILADDRESS"
        case .userId: return "UID"
        default: return "OID"
        }
    }
}
