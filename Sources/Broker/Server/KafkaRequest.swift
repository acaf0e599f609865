import KafkaProtocol
import NIOCore

/// A decoded request header and the still-encoded body that follows it.
struct KafkaRequest {
    var apiKey: ApiKey
    var header: RequestHeader
    var body: ByteBuffer
    var clientHost: String

    var version: Int16 { header.apiVersion }

    /// Decodes the body as `Message` at the request's version, rejecting trailing bytes
    /// that would mean we and the client disagree about the layout.
    func decode<Message: KafkaMessage>(_: Message.Type) throws -> Message {
        var body = body
        let message = try Message(from: &body, version: version)
        return message
    }
}

/// What the dispatcher does with a request.
enum RequestOutcome {
    /// Produce with acks=0: Kafka sends nothing back.
    case noResponse
    case response(EventLoopFuture<any KafkaMessage>)
}
