// libFuzzer entry point for RecordBatch v2 decoding with every codec (none, gzip,
// snappy, lz4, zstd): batch framing and CRC-32C, decompression with the
// decompression-bomb guard, and record iteration with keys, values and headers — what
// produce validation, schema validation, compaction and the auditor do with batches.
import KafkaProtocol
import NIOCore

/// Well below the broker's 256 MiB so a bomb costs little time, yet far above what any
/// `-max_len` input decompresses to legitimately.
let maxDecompressedSize = 4 << 20

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRecordBatches(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = ByteBuffer(bytes: UnsafeBufferPointer(start: data, count: size))
    // Produce validation: framing, magic, lengths and the CRC of every batch.
    _ = try? RecordBatch.validateBatches(bytes)
    // Everything after validation reads with verifyCRC: false (stored bytes are trusted
    // once validated), which also lets mutated payloads reach the decompressors.
    guard let batches = try? RecordBatch.batches(in: bytes, verifyCRC: false) else { return 0 }
    for batch in batches {
        _ = batch.timestampType
        try? batch.forEachRecord(maxDecompressedSize: maxDecompressedSize) { record in
            _ = record.key?.readableBytes
            _ = record.value?.readableBytes
            for header in record.headers {
                _ = header.key.utf8.count
                _ = header.value?.readableBytes
            }
        }
        // Compaction's path: all records or none.
        _ = try? batch.records(maxDecompressedSize: maxDecompressedSize)
    }
    return 0
}
