import KafkaProtocol
import NIOCore

/// A decoded request header and the still-encoded body that follows it.
struct KafkaRequest {
    var apiKey: ApiKey
    var header: RequestHeader
    var body: ByteBuffer
    var clientHost: String
    /// The connection's listener, principal and SASL progress.
    var session = ConnectionSession()

    var version: Int16 { header.apiVersion }

    /// Decodes the body as `Message` at the request's version; a body that does not parse
    /// throws, and the connection is closed (what Kafka does with an unparsable request).
    func decode<Message: KafkaMessage>(_: Message.Type) throws -> Message {
        var body = body
        return try Message(from: &body, version: version)
    }
}

/// What the dispatcher does with a request.
enum RequestOutcome {
    /// Produce with acks=0: Kafka sends nothing back.
    case noResponse
    case response(EventLoopFuture<any KafkaMessage>)
}
