import Foundation
import KafkaProtocol
import LogStore
import NIOCore

/// Persists committed offsets in partition 0 of the compacted internal topic
/// `__consumer_offsets`, and reads them back at start.
///
/// A commit is acknowledged only after its batch is fsynced, so an offset a consumer was
/// told is committed survives `kill -9`.
struct ConsumerOffsetsLog: OffsetCommitLog {
    let log: PartitionLog
    let flusher: LogFlusher

    func append(_ commits: [OffsetCommitRecord]) async throws {
        try await write(commits.map { (key: $0.encodeKey(), value: Optional($0.encodeValue())) })
    }

    func appendTombstones(_ keys: [OffsetCommitKey]) async throws {
        try await write(keys.map { (key: $0.encode(), value: nil) })
    }

    private func write(_ records: [(key: [UInt8], value: [UInt8]?)]) async throws {
        guard !records.isEmpty else { return }
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        var builder = RecordBatchBuilder()
        for record in records {
            builder.append(key: ByteBuffer(bytes: record.key), value: record.value.map { ByteBuffer(bytes: $0) }, timestamp: now)
        }
        let batch = try builder.build()
        let result = try log.append(batch, now: now)
        try await flusher.waitUntilDurable(log, upTo: result.lastOffset)
    }

    /// Every entry in the log, oldest first; entries that do not decode are skipped with a warning.
    func readAll(onSkipped: (String) -> Void) throws -> [OffsetLogEntry] {
        var entries: [OffsetLogEntry] = []
        try log.forEachRecord { record in
            guard let key = record.key else { return }
            do {
                entries.append(try OffsetLogEntry(key: key.readableBytesView, value: record.value?.readableBytesView))
            } catch {
                onSkipped("offset \(record.offset): \(error)")
            }
        }
        return entries
    }
}
