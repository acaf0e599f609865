// libFuzzer entry point for the broker's request path: the length-prefixed frame
// decoder, the request header, and the body codec of every API and version this
// module can decode — what KafkaConnectionHandler and RequestDispatcher do with the
// bytes a client sends. Any trap, sanitizer report or hang here is a bug: the broker
// must answer malformed input with a decoding error, never crash.
import KafkaProtocol
import NIOCore

/// A smaller frame limit than the broker's 100 MiB keeps oversize claims cheap while
/// still exercising the "too large" branch.
let maxFrameSize = 1 << 20

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFrames(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var stream = ByteBuffer(bytes: UnsafeBufferPointer(start: data, count: size))
    // A connection's byte stream: decode frames until one is incomplete or invalid.
    while true {
        let frame: ByteBuffer?
        do {
            frame = try KafkaFrameDecoder.readFrame(from: &stream, maxFrameSize: maxFrameSize)
        } catch {
            return 0
        }
        guard var body = frame else { return 0 }
        decodeRequest(&body)
    }
}

/// Header first, then the body at the header's version, as the dispatcher does (it only
/// decodes versions it advertises, a subset of `validVersions`). A body that decodes is
/// written back and decoded again: encoding what we accepted must not trap either.
func decodeRequest(_ frame: inout ByteBuffer) {
    guard let header = try? RequestHeader(from: &frame),
          let apiKey = header.knownApiKey,
          apiKey.validVersions.contains(header.apiVersion)
    else { return }
    let type = apiKey.requestType
    guard let message = try? type.init(from: &frame, version: header.apiVersion) else { return }
    if let produce = message as? ProduceRequest {
        // The produce handler validates every partition's batches right after decoding.
        for topic in produce.topicData {
            for partition in topic.partitionData {
                if let records = partition.records {
                    _ = try? RecordBatch.validateBatches(records)
                }
            }
        }
    }
    var encoded = ByteBuffer()
    message.write(to: &encoded, version: header.apiVersion)
    _ = try? type.init(from: &encoded, version: header.apiVersion)
}
