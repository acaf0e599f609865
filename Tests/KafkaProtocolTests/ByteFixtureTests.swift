import NIOCore
import Testing
@testable import KafkaProtocol

/// Byte layouts derived by hand from the JSON definitions: decode them, check the
/// fields, and check that encoding the value gives back exactly the same bytes.
@Suite struct ByteFixtureTests {
    private func check<M: KafkaMessage & Equatable>(
        _ hex: String, as type: M.Type, version: Int16, expected: M,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        var buffer = hexBuffer(hex)
        let decoded = try M(from: &buffer, version: version)
        #expect(decoded == expected, sourceLocation: sourceLocation)
        #expect(buffer.readableBytes == 0, sourceLocation: sourceLocation)
        #expect(hexString(encode(expected, version: version)) == hexString(hexBuffer(hex)), sourceLocation: sourceLocation)
    }

    // MARK: Headers

    @Test func requestHeaderV2() throws {
        // ApiVersions v3 (flexible) → header v2: clientId stays an int16-length string,
        // then an empty tagged-field section.
        let hex = "0012 0003 00000001 0007 \(asciiHex("rdkafka")) 00"
        var buffer = hexBuffer(hex)
        let header = try RequestHeader(from: &buffer)
        #expect(header == RequestHeader(apiKey: .apiVersions, apiVersion: 3, correlationId: 1, clientId: "rdkafka"))
        #expect(header.headerVersion == 2)
        #expect(buffer.readableBytes == 0)
        var out = ByteBuffer()
        header.write(to: &out)
        #expect(hexString(out) == hexString(hexBuffer(hex)))
    }

    @Test func requestHeaderV2WithTaggedFieldAndNullClientId() throws {
        // Null client id (-1) and one unknown tagged field, then the body's first byte.
        var buffer = hexBuffer("0003 0009 0000002a ffff 01 05 02 aabb | 77")
        let header = try RequestHeader(from: &buffer)
        #expect(header.apiKey == 3 && header.apiVersion == 9 && header.correlationId == 42)
        #expect(header.clientId == nil)
        #expect(buffer.readableBytes == 1)
    }

    @Test func requestHeaderV1ForUnknownApi() throws {
        var buffer = hexBuffer("03e7 0000 00000007 0001 78")
        let header = try RequestHeader(from: &buffer)
        #expect(header.apiKey == 999 && header.knownApiKey == nil && header.clientId == "x")
        #expect(buffer.readableBytes == 0)
    }

    @Test func responseHeaders() throws {
        var v0 = ByteBuffer()
        ResponseHeader(correlationId: 7).write(to: &v0, headerVersion: 0)
        #expect(hexString(v0) == "00000007")
        var v1 = ByteBuffer()
        ResponseHeader(correlationId: 7).write(to: &v1, headerVersion: 1)
        #expect(hexString(v1) == "0000000700")
        #expect(try ResponseHeader(from: &v1, headerVersion: 1).correlationId == 7)
        #expect(v1.readableBytes == 0)
        var alias = ByteBuffer()
        ResponseHeader(correlationId: 7).write(to: &alias, version: 1)
        #expect(hexString(alias) == "0000000700")
        #expect(try ResponseHeader(from: &alias, version: 1) == ResponseHeader(correlationId: 7))
    }

    @Test func headerVersions() {
        #expect(ApiKey.apiVersions.requestHeaderVersion(3) == 2)
        #expect(ApiKey.apiVersions.requestHeaderVersion(2) == 1)
        #expect(ApiKey.apiVersions.responseHeaderVersion(3) == 0)
        #expect(ApiKey.metadata.requestHeaderVersion(9) == 2)
        #expect(ApiKey.metadata.responseHeaderVersion(9) == 1)
        #expect(ApiKey.metadata.responseHeaderVersion(8) == 0)
        #expect(ApiKey.produce.requestHeaderVersion(7) == 1)
        #expect(ApiKey.saslHandshake.requestHeaderVersion(1) == 1)
        #expect(ApiKey.describeCluster.responseHeaderVersion(0) == 1)
        #expect(ApiKey.produce.name == "Produce" && ApiKey.produce.rawValue == 0)
        #expect(ApiKey.apiVersions.rawValue == 18 && ApiKey.describeProducers.rawValue == 61)
    }

    // MARK: Messages

    @Test func apiVersionsRequestV3FromLibrdkafka() throws {
        let hex = "0b \(asciiHex("librdkafka")) 06 \(asciiHex("2.0.2")) 00"
        #expect(hexString(hexBuffer(hex)) == "0b6c696272646b61666b6106322e302e3200")
        try check(hex, as: ApiVersionsRequest.self, version: 3,
                  expected: ApiVersionsRequest(clientSoftwareName: "librdkafka", clientSoftwareVersion: "2.0.2"))
    }

    @Test func apiVersionsRequestFrameAsLibrdkafkaSendsIt() throws {
        // Full frame: size, header v2 (client id "rdkafka"), body.
        let frameHex = "00000024 0012 0003 00000001 0007 72646b61666b61 00 | 0b 6c696272646b61666b61 06 322e302e32 00"
        var frame = hexBuffer(frameHex)
        #expect(frame.readableBytes == 4 + 0x24)
        var body = try #require(try KafkaFrameDecoder.readFrame(from: &frame))
        #expect(frame.readableBytes == 0)
        let header = try RequestHeader(from: &body)
        #expect(header.clientId == "rdkafka" && header.apiVersion == 3)
        let request = try ApiVersionsRequest(from: &body, version: header.apiVersion)
        #expect(request.clientSoftwareName == "librdkafka")
        #expect(request.clientSoftwareVersion == "2.0.2")
        #expect(body.readableBytes == 0)

        var out = ByteBuffer()
        out.writeKafkaFrame { b in
            header.write(to: &b)
            request.write(to: &b, version: 3)
        }
        #expect(hexString(out) == hexString(hexBuffer(frameHex)))
    }

    @Test func metadataRequestV4OneTopic() throws {
        let hex = "00000001 0008 \(asciiHex("payments")) 00"
        try check(hex, as: MetadataRequest.self, version: 4,
                  expected: MetadataRequest(topics: [.init(name: "payments")], allowAutoTopicCreation: false))
    }

    @Test func produceRequestV7WithHeaderAndRecords() throws {
        let records = "0102030405060708090a"
        let hex = """
            0000 0007 0000002a 0007 \(asciiHex("rdkafka"))
            ffff ffff 00007530
            00000001 0008 \(asciiHex("payments"))
            00000001 00000003 0000000a \(records)
            """
        var buffer = hexBuffer(hex)
        let header = try RequestHeader(from: &buffer)
        #expect(header == RequestHeader(apiKey: .produce, apiVersion: 7, correlationId: 42, clientId: "rdkafka"))
        #expect(header.headerVersion == 1)
        let request = try ProduceRequest(from: &buffer, version: 7)
        #expect(buffer.readableBytes == 0)
        #expect(request.transactionalId == nil)
        #expect(request.acks == -1)
        #expect(request.timeoutMs == 30000)
        #expect(request.topicData.count == 1)
        #expect(request.topicData[0].name == "payments")
        #expect(request.topicData[0].partitionData[0].index == 3)
        #expect(request.topicData[0].partitionData[0].records == hexBuffer(records))

        let expected = ProduceRequest(
            transactionalId: nil, acks: -1, timeoutMs: 30000,
            topicData: [.init(name: "payments", partitionData: [.init(index: 3, records: hexBuffer(records))])])
        #expect(request == expected)
        var out = ByteBuffer()
        header.write(to: &out)
        expected.write(to: &out, version: 7)
        #expect(hexString(out) == hexString(hexBuffer(hex)))
    }

    @Test func produceRecordsAreZeroCopySlices() throws {
        var buffer = hexBuffer("ffff 0001 00000000 00000001 0001 74 00000001 00000000 00000003 aabbcc")
        let request = try ProduceRequest(from: &buffer, version: 3)
        let records = try #require(request.topicData.first?.partitionData.first?.records)
        #expect(records.readableBytes == 3)
        // A slice shares storage with its parent: it starts at a nonzero reader index there.
        #expect(records.storageCapacity == buffer.storageCapacity)
    }

    @Test func fetchResponseV11Small() throws {
        let hex = """
            00000000 0000 00000000
            00000001 0001 74
              00000001
                00000000 0000 0000000000000005 0000000000000005 0000000000000000
                ffffffff
                ffffffff
                00000003 010203
            """
        let expected = FetchResponse(
            throttleTimeMs: 0, errorCode: 0, sessionId: 0,
            responses: [.init(topic: "t", partitions: [
                .init(partitionIndex: 0, errorCode: 0, highWatermark: 5, lastStableOffset: 5, logStartOffset: 0,
                      abortedTransactions: nil, preferredReadReplica: -1, records: hexBuffer("010203")),
            ])])
        try check(hex, as: FetchResponse.self, version: 11, expected: expected)
    }

    @Test func joinGroupRequestV5() throws {
        let hex = """
            0005 \(asciiHex("group")) 00002710 0000ea60 0000 ffff
            0008 \(asciiHex("consumer"))
            00000001 0005 \(asciiHex("range")) 00000004 00010203
            """
        let expected = JoinGroupRequest(
            groupId: "group", sessionTimeoutMs: 10000, rebalanceTimeoutMs: 60000, memberId: "",
            groupInstanceId: nil, protocolType: "consumer",
            protocols: [.init(name: "range", metadata: hexBuffer("00010203"))])
        try check(hex, as: JoinGroupRequest.self, version: 5, expected: expected)
    }

    @Test func apiVersionsResponseV3WithSupportedFeaturesTag() throws {
        // tagged section: 1 field, tag 0, size 23: compact array [ {"metadata.version", 1, 20} ]
        let hex = """
            0000
            02 0012 0000 0003 00
            00000000
            01 00 17 02 11 \(asciiHex("metadata.version")) 0001 0014 00
            """
        let expected = ApiVersionsResponse(
            errorCode: 0, apiKeys: [.init(apiKey: 18, minVersion: 0, maxVersion: 3)], throttleTimeMs: 0,
            supportedFeatures: [.init(name: "metadata.version", minVersion: 1, maxVersion: 20)])
        try check(hex, as: ApiVersionsResponse.self, version: 3, expected: expected)
    }

    @Test func fetchRequestV12WithClusterIdTag() throws {
        // v12: ReplicaId, MaxWaitMs, MinBytes, MaxBytes, IsolationLevel, SessionId, SessionEpoch,
        // Topics (compact, empty), ForgottenTopicsData (empty), RackId "", then tag 0 = ClusterId "c1".
        let hex = """
            ffffffff 000001f4 00000001 7fffffff 00 00000000 ffffffff
            01 01 01
            01 00 03 03 6331
            """
        let expected = FetchRequest(
            clusterId: "c1", replicaId: -1, maxWaitMs: 500, minBytes: 1, maxBytes: 0x7fffffff,
            isolationLevel: 0, sessionId: 0, sessionEpoch: -1, topics: [], forgottenTopicsData: [], rackId: "")
        try check(hex, as: FetchRequest.self, version: 12, expected: expected)
    }
}
