import KafkaProtocol

/// Idempotent-producer bookkeeping of one partition (Kafka's ProducerStateManager, without
/// transactions): validates the producer id, epoch and sequence of each appended batch,
/// recognises retries, and is rebuilt on restart from batch headers alone.
///
/// Rules, for batches with producerId >= 0 and baseSequence >= 0:
/// - epoch below the known one → ``LogAppendError/invalidProducerEpoch``;
/// - same epoch and the same first/last sequence as one of the last five batches → duplicate:
///   the original offsets are returned and nothing is written;
/// - same epoch, sequence not the last one + 1 (Int32.max wraps to 0) → ``LogAppendError/outOfOrderSequence``;
/// - newer epoch must start at sequence 0, else ``LogAppendError/outOfOrderSequence``;
/// - an unknown producer id is accepted at any sequence: its earlier batches may have been removed
///   by retention or `deleteRecords`, which is why Kafka accepts it too.
///
/// Producer ids are never expired here (Kafka expires them after `transactional.id.expiration.ms`);
/// the state is a few dozen bytes per producer.
struct ProducerStateManager: Sendable {
    private(set) var producers: [Int64: ProducerEntry] = [:]

    /// A validated change, applied with ``apply(_:)`` once the batch is written.
    struct Update {
        var producerId: Int64
        var epoch: Int16
        var batch: ProducerBatchMetadata?
    }

    enum Decision {
        /// Append the batch; apply the update (if any) after the write succeeds.
        case append(Update?)
        /// A retry of a batch already in the log.
        case duplicate(ProducerBatchMetadata)
    }

    /// Checks one batch about to be written at `firstOffset`...`lastOffset`. `pending` holds the
    /// updates of earlier batches of the same append, not yet applied.
    func check(
        _ header: RecordBatchHeader, firstOffset: Int64, lastOffset: Int64, timestamp: Int64, pending: [Update]
    ) throws -> Decision {
        guard header.producerId >= 0 else { return .append(nil) }
        var known = producers[header.producerId]
        for update in pending where update.producerId == header.producerId {
            if known == nil { known = ProducerEntry(producerId: update.producerId, epoch: update.epoch) }
            known!.record(epoch: update.epoch, batch: update.batch)
        }
        let epoch = header.producerEpoch
        if let known, epoch < known.epoch { throw LogAppendError.invalidProducerEpoch }
        // Control batches (transaction markers) and batches without sequence only move the epoch.
        guard !header.isControl, header.baseSequence >= 0 else {
            return .append(Update(producerId: header.producerId, epoch: epoch, batch: nil))
        }
        let first = header.baseSequence
        let last = ProducerBatchMetadata.lastSequence(first: first, lastOffsetDelta: header.lastOffsetDelta)
        if let known {
            if epoch == known.epoch {
                if let original = known.duplicate(firstSequence: first, lastSequence: last) {
                    return .duplicate(original)
                }
                guard Self.follows(first, known.lastSequence) else { throw LogAppendError.outOfOrderSequence }
            } else if first != 0 {
                throw LogAppendError.outOfOrderSequence
            }
        }
        let batch = ProducerBatchMetadata(
            firstSequence: first, lastSequence: last, firstOffset: firstOffset, lastOffset: lastOffset, timestamp: timestamp)
        return .append(Update(producerId: header.producerId, epoch: epoch, batch: batch))
    }

    /// True when `next` is the sequence after `last`, wrapping Int32.max to 0.
    static func follows(_ next: Int32, _ last: Int32) -> Bool {
        last == Int32.max ? next == 0 : next == last + 1
    }

    mutating func apply(_ update: Update) {
        producers[update.producerId, default: ProducerEntry(producerId: update.producerId, epoch: update.epoch)]
            .record(epoch: update.epoch, batch: update.batch)
    }

    /// Replays one batch header already in the log (recovery): no validation, newest wins.
    mutating func replay(_ header: RecordBatchHeader) {
        guard header.producerId >= 0 else { return }
        if let known = producers[header.producerId], header.producerEpoch < known.epoch { return }
        var batch: ProducerBatchMetadata?
        if !header.isControl, header.baseSequence >= 0 {
            batch = ProducerBatchMetadata(
                firstSequence: header.baseSequence,
                lastSequence: ProducerBatchMetadata.lastSequence(first: header.baseSequence, lastOffsetDelta: header.lastOffsetDelta),
                firstOffset: header.baseOffset, lastOffset: header.lastOffset, timestamp: header.maxTimestamp)
        }
        apply(Update(producerId: header.producerId, epoch: header.producerEpoch, batch: batch))
    }

    /// The state as a snapshot covering the log up to `offset` (exclusive).
    func snapshot(upTo offset: Int64) -> ProducerStateSnapshot {
        ProducerStateSnapshot(offset: offset, producers: producers.values.sorted { $0.producerId < $1.producerId })
    }

    init() {}

    init(snapshot: ProducerStateSnapshot) {
        for entry in snapshot.producers { producers[entry.producerId] = entry }
    }
}
