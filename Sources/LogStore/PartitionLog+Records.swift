import KafkaProtocol
import NIOCore

extension PartitionLog {
    /// Every record from `offset` (default: the log start) to the current log end, in offset
    /// order: how the broker rebuilds state kept in its internal topics at start.
    ///
    /// - Throws: ``LogReadError``, or a decoding error for a batch that does not parse.
    public func forEachRecord(from offset: Int64? = nil, _ body: (Record) throws -> Void) throws {
        let start = offset ?? logStartOffset
        let end = logEndOffset
        var next = start
        while next < end {
            let chunk = try read(from: next, maxBytes: 4 << 20)
            if chunk.readableBytes == 0 { break }
            for batch in try RecordBatch.batches(in: chunk, verifyCRC: false) {
                // The first batch read may begin before `start`.
                try batch.forEachRecord(maxDecompressedSize: 256 << 20) { record in
                    if record.offset >= start { try body(record) }
                }
                next = max(next, batch.header.lastOffset + 1)
            }
        }
    }
}
