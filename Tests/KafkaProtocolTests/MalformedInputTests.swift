import NIOCore
import Testing
@testable import KafkaProtocol

/// Hostile or cut-short input must throw `KafkaDecodingError`, never trap.
@Suite struct MalformedInputTests {
    @Test(arguments: ApiKey.allCases)
    func everyTruncationThrows(api: ApiKey) {
        (api.requestType as! any MessageSample.Type).checkTruncations()
        (api.responseType as! any MessageSample.Type).checkTruncations()
    }

    @Test func hugeArrayCountThrows() {
        // ProduceRequest v7: null transactional id, acks, timeout, then 2^31-1 topics.
        var buffer = hexBuffer("ffff ffff 00007530 7fffffff 0001 74")
        #expect(throws: KafkaDecodingError.self) { try ProduceRequest(from: &buffer, version: 7) }
        // Compact array count 0xfffffffe as a varint.
        var compact = hexBuffer("00 ffff 00007530 feffffff0f")
        #expect(throws: KafkaDecodingError.self) { try ProduceRequest(from: &compact, version: 9) }
    }

    @Test func hugeStringAndBytesLengthsThrow() {
        var string = hexBuffer("7fff 6162")
        #expect(throws: KafkaDecodingError.self) { try SaslHandshakeRequest(from: &string, version: 1) }
        var bytes = hexBuffer("7fffffff 00")
        #expect(throws: KafkaDecodingError.self) { try SaslAuthenticateRequest(from: &bytes, version: 0) }
        var compactBytes = hexBuffer("ffffffff0f 00 00")
        #expect(throws: KafkaDecodingError.self) { try SaslAuthenticateRequest(from: &compactBytes, version: 2) }
    }

    @Test func overlongVarintThrows() {
        var buffer = hexBuffer("ffffffffff01")
        #expect(throws: KafkaDecodingError.self) { try ApiVersionsRequest(from: &buffer, version: 3) }
    }

    @Test func hugeTaggedFieldCountThrows() {
        // ApiVersionsRequest v3: two empty compact strings, then 2^32-1 tagged fields.
        var buffer = hexBuffer("01 01 ffffffff0f 00 00")
        #expect(throws: KafkaDecodingError.self) { try ApiVersionsRequest(from: &buffer, version: 3) }
        // A tagged field whose size runs past the end.
        var size = hexBuffer("01 01 01 00 7f 00")
        #expect(throws: KafkaDecodingError.self) { try ApiVersionsRequest(from: &size, version: 3) }
    }

    @Test func nullInNonNullableFieldThrows() {
        // SaslHandshakeRequest mechanism is a non-nullable string.
        var buffer = hexBuffer("ffff")
        #expect(throws: KafkaDecodingError.self) { try SaslHandshakeRequest(from: &buffer, version: 1) }
        // ProduceRequest v9 topic name: compact null.
        var compact = hexBuffer("00 ffff 00007530 02 00")
        #expect(throws: KafkaDecodingError.self) { try ProduceRequest(from: &compact, version: 9) }
    }

    @Test func truncatedRequestHeaderThrows() {
        let full = hexBuffer("0012 0003 00000001 0007 72646b61666b61 00")
        for length in 0..<full.readableBytes {
            var prefix = full.getSlice(at: 0, length: length)!
            #expect(throws: KafkaDecodingError.self) { try RequestHeader(from: &prefix) }
        }
    }
}

extension MessageSample {
    static func checkTruncations() {
        for version in Self.validVersions {
            let full = encode(Self.sample(version: version, nulls: false), version: version)
            for length in 0..<full.readableBytes {
                var prefix = full.getSlice(at: full.readerIndex, length: length)!
                #expect(throws: KafkaDecodingError.self, "\(Self.self) v\(version) prefix \(length)") {
                    _ = try Self(from: &prefix, version: version)
                }
            }
        }
    }
}
