import KafkaProtocol
import NIOCore

extension RequestDispatcher {
    /// Runs before the API handlers: SASL first, then ACLs. Returns nil when the request goes
    /// to its handler unchanged (always, on a broker without secure listeners).
    func securityGate(_ request: KafkaRequest, eventLoop: any EventLoop) throws -> RequestOutcome? {
        let session = request.session
        func now(_ message: any KafkaMessage) -> RequestOutcome {
            .response(eventLoop.makeSucceededFuture(message))
        }
        if case .failed = session.sasl, request.apiKey != .apiVersions {
            // Kafka closes a connection whose authentication failed; no second guess on it.
            throw SaslAuthenticationRequired(apiKey: request.apiKey)
        }
        switch request.apiKey {
        case .apiVersions:
            return nil
        case .saslHandshake:
            let response = saslHandshake(try request.decode(SaslHandshakeRequest.self), session: session)
            session.rawSaslTokens = request.version == 0 && response.errorCode == 0
            return now(response)
        case .saslAuthenticate:
            return now(saslAuthenticate(try request.decode(SaslAuthenticateRequest.self), session: session, clientHost: request.clientHost))
        default:
            break
        }
        // Kafka's rule: before SASL completes only ApiVersions and the SASL requests are
        // accepted; anything else closes the connection.
        guard !session.isAuthenticating else { throw SaslAuthenticationRequired(apiKey: request.apiKey) }
        switch request.apiKey {
        case .describeAcls:
            return now(describeAcls(try request.decode(DescribeAclsRequest.self), request: request))
        case .createAcls:
            return now(createAcls(try request.decode(CreateAclsRequest.self), request: request))
        case .deleteAcls:
            return now(deleteAcls(try request.decode(DeleteAclsRequest.self), request: request))
        default:
            break
        }
        guard core.security.authorizationEnabled || session.advertised != nil else { return nil }
        return try authorizedDispatch(request, eventLoop: eventLoop)
    }
}
