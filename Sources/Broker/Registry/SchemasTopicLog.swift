import Foundation
import KafkaProtocol
import LogStore
import NIOCore
import SchemaRegistryServer

/// The registry's persistence: Confluent-format entries in partition 0 of the compacted
/// internal topic `_schemas`. An entry is acknowledged only once fsynced, so a schema id a
/// producer was given survives `kill -9`.
struct SchemasTopicLog: SchemaLog {
    static let topic = "_schemas"

    let log: PartitionLog
    let flusher: LogFlusher

    func append(key: [UInt8], value: [UInt8]?) async throws {
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        var builder = RecordBatchBuilder()
        builder.append(key: ByteBuffer(bytes: key), value: value.map { ByteBuffer(bytes: $0) }, timestamp: now)
        let result = try log.append(try builder.build(), now: now)
        try await flusher.waitUntilDurable(log, upTo: result.lastOffset)
    }

    /// Every entry, oldest first, for ``SchemaStore/restore(from:)``.
    func readAll() throws -> [(key: [UInt8], value: [UInt8]?)] {
        var entries: [(key: [UInt8], value: [UInt8]?)] = []
        try log.forEachRecord { record in
            guard let key = record.key else { return }
            entries.append((key: Array(key.readableBytesView), value: record.value.map { Array($0.readableBytesView) }))
        }
        return entries
    }
}
