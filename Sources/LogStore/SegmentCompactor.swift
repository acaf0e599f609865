import KafkaProtocol
import Logging
import NIOCore

/// Rewrites one closed segment into its compacted copy (`.cleaned` files), Kafka's rules:
///
/// - a record survives when it is the latest for its key (``KeyOffsetMap``); records without a
///   key are removed (only possible for data written before the topic became compacted);
/// - a surviving tombstone (null value) is removed once its timestamp is older than the
///   horizon, `now - delete.retention.ms`;
/// - offsets never change: a batch keeps its base offset, its original `lastOffsetDelta` (as
///   Kafka's format requires, so consumers and producer state see the same batch end), its
///   producer id, epoch, base sequence, attributes and compression codec; surviving records keep
///   their offset deltas and order;
/// - a batch whose records all survive is copied byte for byte; one with no survivor is dropped
///   entirely. Kafka would keep an empty batch when it is a producer's last, to retain its
///   sequence numbers; here producer state lives in the producer snapshot (written at every roll,
///   so it covers every closed segment), and an unknown producer is accepted at any sequence;
/// - control batches, and batches that do not decode, are copied unchanged: compaction never
///   loses what it does not understand.
///
/// Reading happens on the segment's reference-counted file outside the log lock; the copy is
/// written to new files, so produce and fetch carry on meanwhile.
struct SegmentCompactor {
    let directory: String
    let map: KeyOffsetMap
    /// Tombstones with a timestamp below this are removed.
    let tombstoneHorizon: Int64
    let deleteRetentionMs: Int64
    let indexInterval: Int
    let logger: Logger

    /// The cleaned copy of one segment.
    struct Outcome {
        /// The `.cleaned` segment, sealed (fsynced); nil when nothing changed (files removed).
        var cleaned: LogSegment?
        var recordsRemoved = 0
        var tombstonesRemoved = 0
        /// The earliest time a surviving tombstone becomes removable, for scheduling the next pass.
        var nextTombstoneExpiry: Int64?
    }

    /// Writes the compacted copy of the segment at `baseOffset` whose batches are `file[0..<size]`.
    func clean(baseOffset: Int64, file: PosixFile, size: Int) throws -> Outcome {
        var outcome = Outcome()
        let staged = try LogSegment.create(directory: directory, baseOffset: baseOffset, stage: LogFileNames.cleanedSuffix)
        do {
            var pending = ByteBufferAllocator().buffer(capacity: 0)
            var scanner = BatchScanner(file: file, from: 0, end: size)
            while case let .batch(header, position) = try scanner.next() {
                let original = try scanner.bytes(at: position, length: header.totalSize)
                let rewritten = try rewrite(original, header: header, outcome: &outcome)
                guard var batch = rewritten else { continue }
                let batchHeader = RecordBatchHeader(buffer: batch, at: batch.readerIndex)!
                staged.didAppendBatch(
                    baseOffset: batchHeader.baseOffset, lastOffset: batchHeader.lastOffset,
                    maxTimestamp: batchHeader.maxTimestamp, position: staged.size + pending.readableBytes,
                    size: batchHeader.totalSize, indexInterval: indexInterval)
                pending.writeBuffer(&batch)
                // Write in large pieces: one pwrite per batch would dominate for small records.
                if pending.readableBytes >= 1 << 20 { try flush(&pending, to: staged) }
            }
            try flush(&pending, to: staged)
            // Every change removes a record, so the counters tell whether the copy differs.
            guard outcome.recordsRemoved + outcome.tombstonesRemoved > 0 else {
                LogSegment.discardCleaned(directory: directory, baseOffset: baseOffset)
                return outcome
            }
            try staged.seal()
            outcome.cleaned = staged
            return outcome
        } catch {
            LogSegment.discardCleaned(directory: directory, baseOffset: baseOffset)
            throw error
        }
    }

    private func flush(_ pending: inout ByteBuffer, to segment: LogSegment) throws {
        guard pending.readableBytes > 0 else { return }
        try segment.log.write(pending, at: segment.size)
        segment.size += pending.readableBytes
        pending.clear()
    }

    /// The batch as it survives compaction: itself, a rebuilt copy with fewer records, or nil.
    private func rewrite(_ bytes: ByteBuffer, header: RecordBatchHeader, outcome: inout Outcome) throws -> ByteBuffer? {
        guard !header.isControl else { return bytes }
        let records: [Record]
        let batch: RecordBatch
        do {
            batch = try RecordBatch(bytes: bytes, verifyCRC: false)
            records = try batch.records(maxDecompressedSize: PartitionLog.maxDecompressedBatchSize)
        } catch {
            logger.warning("compaction keeps undecodable batch at offset \(header.baseOffset) unchanged: \(error)")
            return bytes
        }
        var kept: [Record] = []
        kept.reserveCapacity(records.count)
        for record in records {
            guard let key = record.key, let latest = map.latestOffset(for: key), record.offset >= latest else {
                outcome.recordsRemoved += 1
                continue
            }
            if record.value == nil {
                if record.timestamp < tombstoneHorizon {
                    outcome.tombstonesRemoved += 1
                    continue
                }
                let expiry = record.timestamp &+ deleteRetentionMs &+ 1
                outcome.nextTombstoneExpiry = min(outcome.nextTombstoneExpiry ?? expiry, expiry)
            }
            kept.append(record)
        }
        if kept.count == records.count { return bytes }
        if kept.isEmpty { return nil }

        var builder = RecordBatchBuilder(
            baseOffset: header.baseOffset, partitionLeaderEpoch: header.partitionLeaderEpoch,
            producerId: header.producerId, producerEpoch: header.producerEpoch, baseSequence: header.baseSequence,
            isTransactional: header.isTransactional, isControl: false,
            compression: batch.compression ?? CompressionCodec.none, timestampType: batch.timestampType)
        for record in kept {
            builder.append(
                key: record.key, value: record.value, headers: Array(record.headers),
                timestamp: record.timestamp, offsetDelta: record.offsetDelta)
        }
        var rebuilt = try builder.build()
        // Keep the batch's original end: the builder ends it at the last surviving record.
        let at = rebuilt.readerIndex
        rebuilt.setInteger(header.lastOffsetDelta, at: at + 23, endianness: .big)
        let crc = RecordBatchHeader.computeCRC(buffer: rebuilt, at: at, totalSize: rebuilt.readableBytes)!
        rebuilt.setInteger(crc, at: at + RecordBatchHeader.crcOffset, endianness: .big)
        return rebuilt
    }
}
