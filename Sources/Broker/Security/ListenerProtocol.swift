/// What a listener asks of its clients, named as Kafka's `security.protocol` values.
public enum ListenerProtocol: String, Sendable, CaseIterable {
    case plaintext = "PLAINTEXT"
    case ssl = "SSL"
    case saslPlaintext = "SASL_PLAINTEXT"
    case saslSSL = "SASL_SSL"

    var usesTLS: Bool { self == .ssl || self == .saslSSL }
    var usesSASL: Bool { self == .saslPlaintext || self == .saslSSL }
}
