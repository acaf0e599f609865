import AccessControl
import KafkaProtocol
import NIOCore

extension RequestDispatcher {
    static let saslMechanisms = ["PLAIN", ScramMechanism.sha256.rawValue, ScramMechanism.sha512.rawValue]

    /// SaslHandshake (v1: the tokens follow in SaslAuthenticate requests).
    func saslHandshake(_ request: SaslHandshakeRequest, session: ConnectionSession) -> SaslHandshakeResponse {
        guard case .awaitingHandshake = session.sasl else {
            // A plaintext/SSL listener, or a second handshake: Kafka answers ILLEGAL_SASL_STATE.
            return SaslHandshakeResponse(
                errorCode: KafkaErrorCode.illegalSaslState.rawValue,
                mechanisms: session.listener.usesSASL ? Self.saslMechanisms : [])
        }
        switch request.mechanism {
        case "PLAIN":
            session.sasl = .awaitingPlain
        case let name:
            guard let mechanism = ScramMechanism(rawValue: name), let users = core.security.users else {
                return SaslHandshakeResponse(errorCode: KafkaErrorCode.unsupportedSaslMechanism.rawValue, mechanisms: Self.saslMechanisms)
            }
            let exchange = ScramServerExchange(mechanism: mechanism) { user in users.current.credential(user: user, mechanism: mechanism) }
            session.sasl = .scram(ScramExchangeBox(exchange))
        }
        return SaslHandshakeResponse(errorCode: KafkaErrorCode.none.rawValue, mechanisms: Self.saslMechanisms)
    }

    /// SaslAuthenticate: one PLAIN message, or the two client messages of SCRAM. A failure
    /// leaves the session failed; any further request but ApiVersions closes the connection.
    func saslAuthenticate(_ request: SaslAuthenticateRequest, session: ConnectionSession, clientHost: String) -> SaslAuthenticateResponse {
        let token = Array(request.authBytes.readableBytesView)
        func failed(_ failure: SaslFailure, code: KafkaErrorCode = .saslAuthenticationFailed) -> SaslAuthenticateResponse {
            session.sasl = .failed
            core.logger.warning("SASL authentication failed", metadata: ["client": "\(clientHost)", "reason": "\(failure.reason)"])
            return SaslAuthenticateResponse(errorCode: code.rawValue, errorMessage: failure.clientMessage, authBytes: ByteBuffer())
        }
        func authenticated(_ user: String, reply: [UInt8]) -> SaslAuthenticateResponse {
            session.sasl = .none
            session.principal = "User:\(user)"
            core.logger.info("SASL authenticated", metadata: ["client": "\(clientHost)", "principal": "\(session.principal)"])
            return SaslAuthenticateResponse(errorCode: 0, errorMessage: nil, authBytes: ByteBuffer(bytes: reply), sessionLifetimeMs: 0)
        }
        switch session.sasl {
        case .awaitingPlain:
            do {
                let credentials = try PlainCredentials(message: token)
                guard let users = core.security.users, users.current.verify(user: credentials.user, password: credentials.password) else {
                    return failed(SaslFailure("PLAIN: wrong password or unknown user '\(credentials.user)'"))
                }
                return authenticated(credentials.user, reply: [])
            } catch {
                return failed(error)
            }
        case .scram(let box):
            do {
                switch try box.exchange.receive(token) {
                case .challenge(let reply):
                    return SaslAuthenticateResponse(errorCode: 0, errorMessage: nil, authBytes: ByteBuffer(bytes: reply))
                case .success(let serverFinal, let user):
                    return authenticated(user, reply: serverFinal)
                }
            } catch {
                return failed(error)
            }
        case .none, .awaitingHandshake, .failed:
            return failed(SaslFailure("SaslAuthenticate without a successful SaslHandshake"), code: .illegalSaslState)
        }
    }
}

extension RequestDispatcher {
    /// One bare SASL token after a SaslHandshake v0: the reply frame (length-prefixed token),
    /// or nil when authentication failed and the connection must close (Kafka's behaviour).
    func rawSaslToken(_ token: ByteBuffer, session: ConnectionSession, clientHost: String) -> ByteBuffer? {
        let response = saslAuthenticate(SaslAuthenticateRequest(authBytes: token), session: session, clientHost: clientHost)
        guard response.errorCode == 0 else { return nil }
        if case .none = session.sasl { session.rawSaslTokens = false }
        var frame = ByteBuffer()
        frame.writeInteger(Int32(response.authBytes.readableBytes))
        frame.writeImmutableBuffer(response.authBytes)
        return frame
    }
}
