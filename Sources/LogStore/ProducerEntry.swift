/// The state of one idempotent producer id in one partition: its newest epoch and its last few
/// batches (Kafka keeps five, the most a producer has in flight).
struct ProducerEntry: Codable, Equatable, Sendable {
    static let maxCachedBatches = 5

    var producerId: Int64
    var epoch: Int16
    /// Oldest first, at most ``maxCachedBatches``.
    var batches: [ProducerBatchMetadata]

    init(producerId: Int64, epoch: Int16) {
        self.producerId = producerId
        self.epoch = epoch
        self.batches = []
        batches.reserveCapacity(Self.maxCachedBatches)
    }

    /// Sequence of the last batch's last record, -1 when none is known (then the next must be 0).
    var lastSequence: Int32 { batches.last?.lastSequence ?? -1 }

    /// The cached batch with exactly these sequence numbers, if any.
    func duplicate(firstSequence: Int32, lastSequence: Int32) -> ProducerBatchMetadata? {
        batches.first { $0.firstSequence == firstSequence && $0.lastSequence == lastSequence }
    }

    /// Moves to `newEpoch` (forgetting the old epoch's batches) and remembers `batch` if given.
    mutating func record(epoch newEpoch: Int16, batch: ProducerBatchMetadata?) {
        if newEpoch != epoch {
            epoch = newEpoch
            batches.removeAll(keepingCapacity: true)
        }
        guard let batch else { return }
        if batches.count == Self.maxCachedBatches { batches.removeFirst() }
        batches.append(batch)
    }
}
