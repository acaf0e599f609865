/// One extra Kafka listener beside the plaintext `--listen` one.
public struct ListenerConfiguration: Sendable {
    public var protocolName: ListenerProtocol
    public var host: String
    public var port: Int

    public init(protocolName: ListenerProtocol, host: String, port: Int) {
        self.protocolName = protocolName
        self.host = host
        self.port = port
    }
}
