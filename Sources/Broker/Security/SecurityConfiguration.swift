/// Authentication, TLS and authorization settings of a broker.
///
/// With no secure listener the broker behaves as before: everyone may do everything on the
/// plaintext listener. Once a listener authenticates (SASL, or TLS with client certificates)
/// ACLs are enforced on every listener and anything not granted is denied; the plaintext
/// listener's principal is then `User:ANONYMOUS`.
public struct SecurityConfiguration: Sendable {
    public var listeners: [ListenerConfiguration] = []
    /// The users file (`eventctl users add`) that SASL/PLAIN and SCRAM check against.
    public var usersFile: String?
    public var tlsCertificate: String?
    public var tlsKey: String?
    /// CA bundle that client certificates must chain to.
    public var tlsCA: String?
    public var tlsClientAuth: TLSClientAuth = .none
    /// Principals (`User:name`) that bypass ACLs, like Kafka's `super.users`.
    public var superUsers: Set<String> = []
    /// Seconds between two compliance events about the same denied principal, operation and resource.
    public var denialAuditIntervalSeconds: Double = 60

    public init() {}

    /// Whether any listener establishes who the client is, which turns ACL enforcement on.
    public var authorizationEnabled: Bool {
        listeners.contains { $0.protocolName.usesSASL || ($0.protocolName.usesTLS && tlsClientAuth != .none) }
    }
}
