import KafkaProtocol

/// A request other than ApiVersions/SASL before authentication on a SASL listener.
struct SaslAuthenticationRequired: Error, CustomStringConvertible {
    var apiKey: ApiKey
    var description: String { "\(apiKey.name) before SASL authentication completed" }
}
