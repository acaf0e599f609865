import NIOCore

/// The compression codec of a RecordBatch: bits 0-2 of its attributes.
///
/// Compression applies to the records section of a batch only (everything after the
/// 61-byte header). The broker stores batches as produced and decompresses only to
/// validate, hash, and compact, so decoding accepts every framing that Kafka clients
/// emit, while encoding writes what the Java client writes.
public enum CompressionCodec: Int, Sendable, CaseIterable, CustomStringConvertible {
    case none = 0
    /// gzip (RFC 1952) via zlib; concatenated members are accepted.
    case gzip = 1
    /// Snappy: raw blocks (librdkafka) or xerial framing (Java client), multi-chunk.
    case snappy = 2
    /// LZ4 frame format, with any of its optional flags.
    case lz4 = 3
    /// Zstandard frames, with or without a declared content size.
    case zstd = 4

    /// The codec encoded in a RecordBatch's attributes, or nil for the unassigned ids 5-7.
    public init?(attributes: Int16) {
        self.init(rawValue: Int(attributes & 0x07))
    }

    public var description: String {
        switch self {
        case .none: "none"
        case .gzip: "gzip"
        case .snappy: "snappy"
        case .lz4: "lz4"
        case .zstd: "zstd"
        }
    }

    /// Compresses the readable bytes of `input`.
    ///
    /// For `.none` the input is returned unchanged (no copy).
    /// - Throws: ``CompressionError/compressionFailed(codec:reason:)`` when the library refuses.
    public func compress(_ input: ByteBuffer, allocator: ByteBufferAllocator) throws -> ByteBuffer {
        switch self {
        case .none: input
        case .gzip: try GzipCompression.compress(input, allocator: allocator)
        case .snappy: try SnappyCompression.compressXerial(input, allocator: allocator)
        case .lz4: try LZ4Compression.compress(input, allocator: allocator)
        case .zstd: try ZstdCompression.compress(input, allocator: allocator)
        }
    }

    /// Decompresses the readable bytes of `input`, producing at most `maxOutputSize` bytes.
    ///
    /// The input comes from clients we do not control, so this never traps and never
    /// allocates much more than `maxOutputSize`: a payload that would expand beyond it is a
    /// decompression bomb and is refused as soon as the limit is crossed.
    /// For `.none` the input is returned unchanged (still subject to the size limit).
    /// - Throws: ``CompressionError/corruptInput(codec:reason:)`` on malformed or truncated
    ///   input, ``CompressionError/outputLimitExceeded(codec:limit:)`` past `maxOutputSize`.
    public func decompress(_ input: ByteBuffer, maxOutputSize: Int, allocator: ByteBufferAllocator) throws -> ByteBuffer {
        if self == .none {
            guard input.readableBytes <= maxOutputSize else {
                throw CompressionError.outputLimitExceeded(codec: self, limit: maxOutputSize)
            }
            return input
        }
        var output = BoundedOutput(codec: self, limit: max(0, maxOutputSize), allocator: allocator, expectedSize: input.readableBytes * 4)
        switch self {
        case .none: break
        case .gzip: try GzipCompression.decompress(input, into: &output)
        case .snappy: try SnappyCompression.decompress(input, into: &output)
        case .lz4: try LZ4Compression.decompress(input, into: &output)
        case .zstd: try ZstdCompression.decompress(input, into: &output)
        }
        return output.buffer
    }
}
