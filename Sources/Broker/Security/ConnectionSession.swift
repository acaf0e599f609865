/// Who is on the other end of one connection, and how far SASL has got.
///
/// Touched only on the connection's event loop (by its handlers and the dispatcher it calls),
/// hence `@unchecked Sendable`.
final class ConnectionSession: @unchecked Sendable {
    enum SaslState {
        /// Not a SASL listener, or SASL finished successfully.
        case none
        case awaitingHandshake
        case awaitingPlain
        case scram(ScramExchangeBox)
        /// Authentication failed: the connection may only be closed (Kafka closes it).
        case failed
    }

    static let anonymous = "User:ANONYMOUS"

    let listener: ListenerProtocol
    /// The listener's address, advertised in Metadata and FindCoordinator to this client;
    /// nil advertises the broker's `--listen` (or `--advertised-listener`) address.
    let advertised: (host: String, port: Int32)?
    var principal = ConnectionSession.anonymous
    var sasl: SaslState
    /// After a SaslHandshake v0 the next frames are bare SASL tokens, not Kafka requests.
    var rawSaslTokens = false

    init(listener: ListenerProtocol = .plaintext, advertised: (host: String, port: Int32)? = nil) {
        self.listener = listener
        self.advertised = advertised
        sasl = listener.usesSASL ? .awaitingHandshake : .none
    }

    /// Whether the client still has to finish SASL before anything but ApiVersions.
    var isAuthenticating: Bool {
        if case .none = sasl { return false }
        return true
    }
}
