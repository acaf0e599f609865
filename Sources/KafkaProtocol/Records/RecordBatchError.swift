/// Why a produced `records` blob was refused, mapped to the Kafka error the broker returns.
///
/// CRC failures and impossible lengths are CORRUPT_MESSAGE (2), which clients retry;
/// magic 0/1 message sets are well formed but unsupported and get INVALID_RECORD (87),
/// which Kafka itself returns for them on Produce v3 and later.
public enum RecordBatchError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The stored CRC-32C does not match the batch's bytes.
    case crcMismatch(batchIndex: Int, stored: UInt32, computed: UInt32)
    /// `batchLength` is below the 49-byte minimum of a v2 batch.
    case invalidBatchLength(batchIndex: Int, batchLength: Int32)
    /// A batch claims more bytes than remain, or fewer bytes than a batch header remain
    /// after the last complete batch (a truncated batch or trailing garbage).
    case truncated(batchIndex: Int, needed: Int, available: Int)
    /// A magic byte that no Kafka version ever wrote.
    case invalidMagic(batchIndex: Int, magic: Int8)
    /// A magic 0 or 1 message set: not supported by this broker.
    case unsupportedMagic(batchIndex: Int, magic: Int8)
    /// Compression codec ids 5-7 are unassigned.
    case unsupportedCompression(batchIndex: Int, codecID: Int)
    /// A header field that cannot be valid, such as a negative record count.
    case invalidHeader(batchIndex: Int, reason: String)

    /// True for damage in transit or storage (CORRUPT_MESSAGE); false for well-formed
    /// input this broker refuses.
    public var isCorruptMessage: Bool {
        switch self {
        case .unsupportedMagic, .unsupportedCompression: false
        default: true
        }
    }

    /// The Kafka error a Produce response carries for this error.
    public var kafkaErrorCode: KafkaErrorCode {
        switch self {
        case .unsupportedMagic: .invalidRecord
        case .unsupportedCompression: .unsupportedCompressionType
        default: .corruptMessage
        }
    }

    public var description: String {
        switch self {
        case let .crcMismatch(i, stored, computed):
            "batch \(i): CRC mismatch (stored 0x\(String(stored, radix: 16)), computed 0x\(String(computed, radix: 16)))"
        case let .invalidBatchLength(i, length):
            "batch \(i): batchLength \(length) is below the v2 minimum of \(RecordBatch.minimumBatchLength)"
        case let .truncated(i, needed, available):
            "batch \(i): needs \(needed) bytes but only \(available) remain"
        case let .invalidMagic(i, magic):
            "batch \(i): invalid magic \(magic)"
        case let .unsupportedMagic(i, magic):
            "batch \(i): magic \(magic) message sets are not supported; use RecordBatch v2 (magic 2)"
        case let .unsupportedCompression(i, id):
            "batch \(i): unknown compression codec id \(id)"
        case let .invalidHeader(i, reason):
            "batch \(i): \(reason)"
        }
    }
}
