import AuditChain
import KafkaProtocol
import NIOCore
import Testing

@Suite struct LeafHasherTests {
    // Expected values computed independently (Python hashlib) from the documented encoding.
    static let fullVector = "865c3276bc73323343bd7c27a50230e7ea7aaa997096ba23d8e3e034b3a084f9"
    static let nullsVector = "67e62046d07d5e9b0ecf968f311bdbf7694d8e17d6f43ce79448ba30661b0fa3"
    static let emptiesVector = "265a87aca84390f9f9de122e80527ed7d2c0d653fd5590dedd382962e32183bc"

    @Test func fixedVectorFromOwnedFields() {
        let input = LeafInput(
            topic: "payments", partition: 3, offset: 42, timestamp: 1_700_000_000_000,
            key: Array("k1".utf8), value: Array("hello".utf8),
            headers: [.init(key: "h", value: Array("v".utf8)), .init(key: "n", value: nil)])
        #expect(input.leafHash.hex == Self.fullVector)
    }

    @Test func fixedVectorsFromParsedRecords() throws {
        let records = try makeRecords(baseOffset: 40, [
            (Array("x".utf8), nil, [], 1),
            (Array("y".utf8), nil, [], 2),
            (Array("k1".utf8), Array("hello".utf8), [RecordHeader(key: "h", value: ByteBuffer(string: "v")), RecordHeader(key: "n", value: nil)], 1_700_000_000_000),
        ])
        var hasher = LeafHasher(topic: "payments", partition: 3)
        #expect(records[2].offset == 42)
        #expect(hasher.leafHash(of: records[2]).hex == Self.fullVector)
        // The same hasher, reused, agrees with the owned-field path for every record.
        for record in records {
            #expect(hasher.leafHash(of: record) == leafInput(record, topic: "payments", partition: 3).leafHash)
        }
    }

    /// The broker hashes borrowed record views; they must give the pinned vectors too.
    @Test func recordViewsHashLikeRecords() throws {
        var builder = RecordBatchBuilder(baseOffset: 40)
        builder.append(key: nil, value: nil, headers: [], timestamp: 1)
        builder.append(key: ByteBuffer(), value: ByteBuffer(), headers: [RecordHeader(key: "e", value: ByteBuffer())], timestamp: 2)
        builder.append(
            key: ByteBuffer(string: "k1"), value: ByteBuffer(string: "hello"),
            headers: [RecordHeader(key: "h", value: ByteBuffer(string: "v")), RecordHeader(key: "n", value: nil)],
            timestamp: 1_700_000_000_000)
        let batch = try RecordBatch(bytes: try builder.build())
        var hasher = LeafHasher(topic: "payments", partition: 3)
        var fromRecords: [AuditDigest] = []
        try batch.forEachRecord(maxDecompressedSize: 1 << 20) { fromRecords.append(hasher.leafHash(of: $0)) }
        var fromViews: [AuditDigest] = []
        try batch.forEachRecordView(maxDecompressedSize: 1 << 20) { fromViews.append(hasher.leafHash(of: $0)) }
        #expect(fromViews == fromRecords)
        #expect(fromViews[2].hex == Self.fullVector)
    }

    @Test func nullIsDistinctFromEmpty() throws {
        let nulls = LeafInput(topic: "payments", partition: 3, offset: 42, timestamp: 1_700_000_000_000, key: nil, value: nil)
        let empties = LeafInput(topic: "payments", partition: 3, offset: 42, timestamp: 1_700_000_000_000, key: [], value: [])
        #expect(nulls.leafHash.hex == Self.nullsVector)
        #expect(empties.leafHash.hex == Self.emptiesVector)
        let nullRecord = try makeRecords(baseOffset: 42, [(nil, nil, [], 1_700_000_000_000)])[0]
        let emptyRecord = try makeRecords(baseOffset: 42, [([], [], [], 1_700_000_000_000)])[0]
        var hasher = LeafHasher(topic: "payments", partition: 3)
        #expect(hasher.leafHash(of: nullRecord).hex == Self.nullsVector)
        #expect(hasher.leafHash(of: emptyRecord).hex == Self.emptiesVector)

        var nullHeader = nulls
        nullHeader.headers = [.init(key: "a", value: nil)]
        var emptyHeader = nulls
        emptyHeader.headers = [.init(key: "a", value: [])]
        #expect(nullHeader.leafHash != emptyHeader.leafHash)
        #expect(nullHeader.leafHash != nulls.leafHash)
    }

    @Test func everyFieldMatters() {
        let base = LeafInput(topic: "t", partition: 0, offset: 7, timestamp: 9, key: [1], value: [2], headers: [.init(key: "h", value: [3])])
        var variants: [LeafInput] = []
        var v = base; v.topic = "u"; variants.append(v)
        v = base; v.partition = 1; variants.append(v)
        v = base; v.offset = 8; variants.append(v)
        v = base; v.timestamp = 10; variants.append(v)
        v = base; v.key = [1, 0]; variants.append(v)
        v = base; v.value = [2, 0]; variants.append(v)
        v = base; v.headers[0].key = "i"; variants.append(v)
        v = base; v.headers[0].value = [4]; variants.append(v)
        v = base; v.headers.append(.init(key: "", value: nil)); variants.append(v)
        // Moving a byte between key and value must not collide (length framing).
        v = base; v.key = [1, 2]; v.value = []; variants.append(v)
        let hashes = Set(variants.map(\.leafHash) + [base.leafHash])
        #expect(hashes.count == variants.count + 1)
    }
}
