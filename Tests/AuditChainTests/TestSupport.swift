import AuditChain
import KafkaProtocol
import NIOCore

/// Parses the records of a batch built with `RecordBatchBuilder`, so tests hash real
/// `Record` views exactly as the broker does.
func makeRecords(baseOffset: Int64, _ inputs: [(key: [UInt8]?, value: [UInt8]?, headers: [RecordHeader], timestamp: Int64)]) throws -> [Record] {
    var builder = RecordBatchBuilder(baseOffset: baseOffset)
    for input in inputs {
        builder.append(
            key: input.key.map { ByteBuffer(bytes: $0) },
            value: input.value.map { ByteBuffer(bytes: $0) },
            headers: input.headers,
            timestamp: input.timestamp)
    }
    let batch = try RecordBatch(bytes: try builder.build())
    return try batch.records(maxDecompressedSize: 1 << 30)
}

/// The owned form of a parsed record.
func leafInput(_ record: Record, topic: String, partition: Int32) -> LeafInput {
    LeafInput(
        topic: topic, partition: partition, offset: record.offset, timestamp: record.timestamp,
        key: record.key.map { Array($0.readableBytesView) },
        value: record.value.map { Array($0.readableBytesView) },
        headers: record.headers.map { LeafInput.Header(key: $0.key, value: $0.value.map { Array($0.readableBytesView) }) })
}

/// A small deterministic generator (SplitMix64), so property tests are reproducible.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

func hex(_ text: String) -> AuditDigest { AuditDigest(hex: text)! }
