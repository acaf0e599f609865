import KafkaProtocol
import NIOCore

/// Compaction's map from each record key to the offset of its latest record in the log.
///
/// Kafka's cleaner keys a fixed-size map by a hash of the key; this one stores the key bytes
/// themselves, so a hash collision can never make compaction drop a live record. The price is
/// memory proportional to the distinct keys of one partition, which the topics here (accounts,
/// payments, consumer groups) keep modest.
struct KeyOffsetMap {
    private var latest: [[UInt8]: Int64] = [:]

    var count: Int { latest.count }

    /// Records `offset` as the latest for `key` (callers walk the log in offset order).
    mutating func put(key: ByteBuffer, offset: Int64) {
        latest[Array(key.readableBytesView)] = offset
    }

    /// The latest offset known for `key`, nil when the key never appeared.
    func latestOffset(for key: ByteBuffer) -> Int64? {
        latest[Array(key.readableBytesView)]
    }

    /// Adds every keyed record of the batches in `file` up to `end`. Batches that do not decode
    /// are skipped: their records stay in place when cleaned (see ``SegmentCompactor``), so
    /// they must not shadow anything either.
    mutating func add(file: PosixFile, end: Int) throws {
        var scanner = BatchScanner(file: file, from: 0, end: end)
        while case let .batch(header, position) = try scanner.next() {
            guard !header.isControl else { continue }
            let bytes = try scanner.bytes(at: position, length: header.totalSize)
            guard let batch = try? RecordBatch(bytes: bytes, verifyCRC: false) else { continue }
            var keyed: [(ByteBuffer, Int64)] = []
            do {
                try batch.forEachRecord(maxDecompressedSize: PartitionLog.maxDecompressedBatchSize) { record in
                    if let key = record.key { keyed.append((key, record.offset)) }
                }
            } catch {
                continue
            }
            for (key, offset) in keyed { put(key: key, offset: offset) }
        }
    }
}
