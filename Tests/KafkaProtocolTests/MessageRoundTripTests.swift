import NIOCore
import Testing
@testable import KafkaProtocol

/// Encodes a populated sample of every message in every valid version, decodes it,
/// and checks the value survives and every byte is consumed.
@Suite struct MessageRoundTripTests {
    @Test func everyApiHasCodecs() {
        #expect(allMessageTypes.count == 2 * ApiKey.allCases.count)
        #expect(allMessageTypes.count == 68)
        for api in ApiKey.allCases {
            #expect(api.requestType.apiKey == api)
            #expect(api.responseType.apiKey == api)
            #expect(api.requestType.validVersions == api.responseType.validVersions)
            #expect(api.requestType.flexibleVersionsStart == api.responseType.flexibleVersionsStart)
        }
    }

    @Test(arguments: ApiKey.allCases)
    func roundTripAllVersions(api: ApiKey) throws {
        try (api.requestType as! any MessageSample.Type).checkRoundTrip()
        try (api.responseType as! any MessageSample.Type).checkRoundTrip()
    }

    @Test(arguments: ApiKey.allCases)
    func defaultValuesRoundTrip(api: ApiKey) throws {
        try (api.requestType as! any MessageSample.Type).checkDefaultRoundTrip()
        try (api.responseType as! any MessageSample.Type).checkDefaultRoundTrip()
    }

    @Test func samplesCarryNonDefaultData() {
        // Guards the generator: a sample must differ from the default value.
        let produce = ProduceRequest.sample(version: 7, nulls: false)
        #expect(produce != ProduceRequest())
        #expect(produce.topicData.count == 2)
        #expect(produce.transactionalId != nil)
        let fetch = FetchResponse.sample(version: 12, nulls: false)
        #expect(fetch.responses[0].partitions[0].divergingEpoch != FetchResponse.EpochEndOffset())
    }

    @Test func fieldsAbsentFromAVersionAreNotWritten() throws {
        // ThrottleTimeMs is v1+ in ApiVersionsResponse: writing v0 drops it, reading gives the default.
        let value = ApiVersionsResponse(errorCode: 35, throttleTimeMs: 100)
        var buffer = encode(value, version: 0)
        let decoded = try ApiVersionsResponse(from: &buffer, version: 0)
        #expect(decoded.errorCode == 35)
        #expect(decoded.throttleTimeMs == 0)
    }

    @Test func taggedFieldsAtDefaultAreNotWritten() {
        // v3 with no tagged fields set: error code, empty compact array, throttle, empty tag section.
        let value = ApiVersionsResponse(errorCode: 0, apiKeys: [], throttleTimeMs: 0)
        #expect(hexString(encode(value, version: 3)) == "0000" + "01" + "00000000" + "00")
    }

    @Test func unknownTaggedFieldsAreSkipped() throws {
        // ApiVersionsRequest v3 with an unknown tag 7 (3 bytes) in its tagged section.
        var buffer = hexBuffer("02 61 | 02 62 | 01 07 03 aabbcc")
        let decoded = try ApiVersionsRequest(from: &buffer, version: 3)
        #expect(decoded == ApiVersionsRequest(clientSoftwareName: "a", clientSoftwareVersion: "b"))
        #expect(buffer.readableBytes == 0)
    }

    @Test func nullableArraysAndStringsEncodeNull() throws {
        // MetadataRequest v1+: null topics means "all topics".
        let all = MetadataRequest(topics: nil)
        #expect(hexString(encode(all, version: 1)) == "ffffffff")
        // v9: null compact array, AllowAutoTopicCreation (default true), two bools, tag section.
        #expect(hexString(encode(all, version: 9)) == "00" + "01" + "00" + "00" + "00")
        // v0 has no null: nil is written as an empty array.
        #expect(hexString(encode(all, version: 0)) == "00000000")
        var buffer = hexBuffer("ffffffff")
        #expect(try MetadataRequest(from: &buffer, version: 1).topics == nil)
        var v0 = hexBuffer("ffffffff")
        #expect(throws: KafkaDecodingError.self) { try MetadataRequest(from: &v0, version: 0) }
    }
}

extension MessageSample {
    static func checkRoundTrip() throws {
        for version in Self.validVersions {
            for nulls in [false, true] {
                let value = Self.sample(version: version, nulls: nulls)
                let encoded = encode(value, version: version)
                var input = encoded
                let decoded = try Self(from: &input, version: version)
                #expect(decoded == value, "\(Self.self) v\(version) nulls=\(nulls)")
                #expect(input.readableBytes == 0, "\(Self.self) v\(version): \(input.readableBytes) bytes left")
                // Re-encoding the decoded value gives the same bytes.
                #expect(encode(decoded, version: version) == encoded, "\(Self.self) v\(version) re-encode")
            }
        }
    }

    static func checkDefaultRoundTrip() throws {
        for version in Self.validVersions {
            // The all-defaults value survives too (tagged fields at their defaults are not written).
            let value = Self()
            var input = encode(value, version: version)
            let decoded = try Self(from: &input, version: version)
            #expect(decoded == value, "\(Self.self) v\(version)")
            #expect(input.readableBytes == 0)
        }
    }
}
