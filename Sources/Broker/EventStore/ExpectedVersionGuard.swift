import KafkaProtocol
import LogStore
import NIOConcurrencyHelpers
import NIOCore
import TopicPolicy

/// Optimistic concurrency for event streams kept in Kafka topics.
///
/// On a topic with `compliancelog.expected.version=true`, every record that carries the
/// headers `aggregate-id` and `aggregate-version` must have version = the last version stored
/// for that aggregate in that partition + 1. A batch is all or nothing: one record out of
/// line refuses the whole batch (INVALID_RECORD naming aggregate, expected and actual
/// version), so two writers that both read version 4 and append version 5 end with exactly
/// one success.
///
/// The check, the append and the update of the versions run under one lock per partition:
/// every append to an opted-in partition goes through ``append(_:to:enforced:_:)``, so no
/// other append can slip in between. The versions are not persisted separately; they are
/// rebuilt from the partition log the first time the partition is written after a start
/// (and caught up after appends made while the topic had not opted in).
final class ExpectedVersionGuard: Sendable {
    static let configKey = PolicyConfigKey.expectedVersion

    private typealias Partition = NIOLockedValueBox<AggregateVersionIndex>

    private let partitions = NIOLockedValueBox<[TopicPartition: Partition]>([:])

    static func isEnforced(_ configs: [String: String]) -> Bool { configs[configKey] == "true" }

    /// Runs `write` (the actual append of `batches` to `log`), first checking the batch's
    /// aggregate versions when `enforced`.
    ///
    /// - Throws: ``ExpectedVersionConflict`` when a record is out of line (nothing was
    ///   written), or whatever `write` or reading the log throws.
    func append(_ batches: ByteBuffer, to log: PartitionLog, enforced: Bool, _ write: () throws -> AppendResult) throws -> AppendResult {
        guard enforced else { return try write() }
        let partition = partitions.withLockedValue { partitions in
            if let existing = partitions[log.topicPartition] { return existing }
            let created = Partition(AggregateVersionIndex())
            partitions[log.topicPartition] = created
            return created
        }
        return try partition.withLockedValue { index in
            try index.catchUp(with: log)
            let stored = try index.check(batches)
            let result = try write()
            // A retried idempotent batch whose records carry versions never gets here: its
            // versions are stored already, so the check refused it.
            if !result.isDuplicate { index.apply(stored, endOffset: result.lastOffset + 1) }
            return result
        }
    }
}
