/// Settings of a ``KafkaAdmin`` client.
public struct KafkaAdminConfiguration: Sendable {
    /// `host:port` of one or more brokers to bootstrap from (`bootstrap.servers`).
    public var bootstrapServers: [String]
    /// `client.id`.
    public var clientID: String = "compliancelog-admin"
    /// How long one admin operation (or a metadata request) may take.
    public var requestTimeout: Duration = .seconds(30)
    /// Any other librdkafka property. Wins over typed values.
    public var additionalProperties: [String: String] = [:]

    public init(bootstrapServers: [String]) {
        self.bootstrapServers = bootstrapServers
    }

    var properties: [String: String] {
        var properties = [
            "bootstrap.servers": bootstrapServers.joined(separator: ","),
            "client.id": clientID,
        ]
        properties.merge(additionalProperties) { _, escapeHatch in escapeHatch }
        return properties
    }
}
