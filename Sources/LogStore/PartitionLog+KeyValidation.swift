import KafkaProtocol
import NIOCore

extension PartitionLog {
    /// The most bytes one batch may decompress to while it is checked or compacted: a guard
    /// against decompression bombs, well above any `max.message.bytes` worth of real records.
    static let maxDecompressedBatchSize = 256 << 20

    /// Checks that every record of `batches` has a key, as a compacted log requires.
    ///
    /// ``append(_:now:logAppendTime:)`` runs this itself when the log's cleanup policy compacts;
    /// the broker may call it earlier (for example before other per-record work). Control batches
    /// (transaction markers) are skipped. Compressed batches are decompressed; nothing is written.
    ///
    /// - Throws: ``LogAppendError/keylessRecordOnCompactedTopic`` (INVALID_RECORD, 87) for a record
    ///   with a null key, ``LogAppendError/corruptBatch(_:)`` when the batches do not decode.
    public static func validateKeys(_ batches: ByteBuffer) throws {
        let decoded: [RecordBatch]
        do {
            decoded = try RecordBatch.batches(in: batches, verifyCRC: false)
        } catch {
            throw LogAppendError.corruptBatch("\(error)")
        }
        for batch in decoded where !batch.header.isControl {
            do {
                try batch.forEachRecord(maxDecompressedSize: maxDecompressedBatchSize) { record in
                    if record.key == nil { throw LogAppendError.keylessRecordOnCompactedTopic }
                }
            } catch let error as LogAppendError {
                throw error
            } catch {
                throw LogAppendError.corruptBatch("\(error)")
            }
        }
    }

    /// ``validateKeys(_:)`` when this log's cleanup policy compacts; nothing otherwise.
    public func validateKeysIfCompacted(_ batches: ByteBuffer) throws {
        guard lock.withLock({ currentConfig.cleanupPolicy.compacts }) else { return }
        try Self.validateKeys(batches)
    }
}
