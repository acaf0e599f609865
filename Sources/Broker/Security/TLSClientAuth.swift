/// Whether TLS listeners ask for client certificates (mTLS); a presented certificate must
/// chain to the `--tls-ca` bundle either way.
public enum TLSClientAuth: String, Sendable, CaseIterable {
    case none
    case optional
    case required
}
