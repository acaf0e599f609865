/// A Kafka `compression.type` topic config value.
public enum CompressionType: String, Sendable, Hashable, CaseIterable {
    /// Store batches uncompressed (the broker recompresses producer batches).
    case none
    /// Store batches gzip-compressed.
    case gzip
    /// Store batches snappy-compressed.
    case snappy
    /// Store batches LZ4 (frame format) compressed.
    case lz4
    /// Store batches Zstandard-compressed.
    case zstd
    /// Keep whatever codec the producer used; Kafka's default.
    case producer
}
