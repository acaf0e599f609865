/// Why a payload could not be compressed or decompressed.
///
/// Every case maps to Kafka's CORRUPT_MESSAGE when it comes from a produced batch.
public enum CompressionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The compressed bytes are malformed, truncated, or fail their checksums.
    case corruptInput(codec: CompressionCodec, reason: String)
    /// Decompressing would produce more than the caller's limit (a decompression bomb, or
    /// simply a batch larger than allowed).
    case outputLimitExceeded(codec: CompressionCodec, limit: Int)
    /// The compression library reported a failure while compressing.
    case compressionFailed(codec: CompressionCodec, reason: String)

    public var description: String {
        switch self {
        case let .corruptInput(codec, reason): "corrupt \(codec) payload: \(reason)"
        case let .outputLimitExceeded(codec, limit): "\(codec) payload decompresses to more than \(limit) bytes"
        case let .compressionFailed(codec, reason): "\(codec) compression failed: \(reason)"
        }
    }
}
