import KafkaProtocol
import LogStore
import NIOCore

/// The last stored `aggregate-version` of every aggregate in one partition, and the log
/// offset up to which it has read that partition.
///
/// ``ExpectedVersionGuard`` keeps one per partition behind a lock held around check, append
/// and update, which is what makes them one atomic step.
struct AggregateVersionIndex {
    /// The same decompression-bomb guard the broker applies elsewhere to records it decodes.
    static let maxDecompressedSize = 256 << 20

    /// The log this index was built from; a deleted and re-created topic gets a new log.
    private(set) weak var log: PartitionLog?
    /// The next log offset not yet read into ``versions``.
    private(set) var nextOffset: Int64 = 0
    private(set) var heads: [String: StreamHead] = [:]

    /// Reads whatever the log holds beyond what was indexed: everything after a restart, a
    /// re-created topic, or appends made while the topic had not opted in.
    mutating func catchUp(with log: PartitionLog) throws {
        let end = log.logEndOffset
        if self.log !== log || end < nextOffset {
            self.log = log
            heads = [:]
            nextOffset = 0
        }
        guard end > nextOffset else { return }
        // Compaction keeps each key's last record, and the key is the aggregate id, so the
        // highest version of every aggregate survives it. Records below the log start were
        // removed by retention (or DeleteRecords) and are gone for the index too.
        try log.forEachRecord(from: max(nextOffset, log.logStartOffset)) { record in
            guard let versioned = try? VersionedRecord(record) else { return }
            if versioned.version > heads[versioned.aggregateID]?.version ?? 0 {
                heads[versioned.aggregateID] = StreamHead(version: versioned.version, appendID: versioned.appendID)
            }
        }
        nextOffset = end
    }

    /// The stream heads `batches` would leave, checked record by record against the index
    /// (and against earlier records of the same batches): each must be the aggregate's last
    /// version + 1, and a record continuing an append (version after its
    /// `append-first-version`) must follow a record of that same append. Nothing is changed;
    /// ``apply(_:endOffset:)`` commits the result once the append succeeded.
    ///
    /// - Throws: ``ExpectedVersionConflict`` for the first record that breaks the rule.
    func check(_ batches: ByteBuffer) throws -> [String: StreamHead] {
        var pending: [String: StreamHead] = [:]
        do {
            for batch in try RecordBatch.batches(in: batches, verifyCRC: false) {
                try batch.forEachRecord(maxDecompressedSize: Self.maxDecompressedSize) { record in
                    guard let versioned = try VersionedRecord(record) else { return }
                    let id = versioned.aggregateID
                    let head = pending[id] ?? heads[id] ?? StreamHead(version: 0)
                    guard versioned.version == head.version + 1 else {
                        throw ExpectedVersionConflict.versionMismatch(
                            aggregateID: id, expected: versioned.version - 1, actual: head.version, offered: versioned.version)
                    }
                    if let first = versioned.appendFirstVersion, versioned.version > first, head.appendID != versioned.appendID {
                        throw ExpectedVersionConflict.orphanedContinuation(
                            aggregateID: id, version: versioned.version, appendID: versioned.appendID ?? "", actual: head.version)
                    }
                    pending[id] = StreamHead(version: versioned.version, appendID: versioned.appendID)
                }
            }
        } catch let conflict as ExpectedVersionConflict {
            throw conflict
        } catch {
            // The batch passed the CRC check but its records do not decode (or decompress).
            throw ExpectedVersionConflict.undecodableRecords("\(error)")
        }
        return pending
    }

    /// Records a successful append: the heads it stored, and that the log was read up to `endOffset`.
    mutating func apply(_ stored: [String: StreamHead], endOffset: Int64) {
        heads.merge(stored) { _, new in new }
        nextOffset = endOffset
    }
}
