import Foundation
import KafkaProtocol
import NIOCore
@testable import LogStore

/// Keyed record batches for compaction tests, built with KafkaProtocol's RecordBatchBuilder.
enum KeyedBatch {
    /// One batch holding `records` (key, value; nil value = tombstone), all stamped `timestamp`.
    static func make(
        _ records: [(key: String?, value: String?)], timestamp: Int64 = 1_000, compression: CompressionCodec = .none,
        producerId: Int64 = -1, producerEpoch: Int16 = -1, baseSequence: Int32 = -1
    ) -> ByteBuffer {
        var builder = RecordBatchBuilder(
            producerId: producerId, producerEpoch: producerEpoch, baseSequence: baseSequence, compression: compression)
        for record in records {
            builder.append(
                key: record.key.map { ByteBuffer(string: $0) }, value: record.value.map { ByteBuffer(string: $0) },
                headers: [RecordHeader(key: "h", value: ByteBuffer(string: record.key ?? "-"))], timestamp: timestamp)
        }
        return try! builder.build()
    }
}

/// One record as a consumer sees it.
struct LoggedRecord: Equatable, CustomStringConvertible {
    var offset: Int64
    var key: String?
    var value: String?

    init(_ offset: Int64, _ key: String?, _ value: String?) {
        self.offset = offset
        self.key = key
        self.value = value
    }

    var description: String { "\(offset):\(key ?? "∅")=\(value ?? "∅")" }
}

/// A clock the tests move by hand.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Int64

    init(_ start: Int64) { value = start }

    var now: Int64 {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
}

extension PartitionLog {
    /// Appends one keyed batch and returns its base offset.
    @discardableResult
    func appendKeyed(
        _ records: [(key: String?, value: String?)], timestamp: Int64 = 1_000, now: Int64 = 0,
        compression: CompressionCodec = .none
    ) throws -> Int64 {
        try append(KeyedBatch.make(records, timestamp: timestamp, compression: compression), now: now).baseOffset
    }

    /// Closes the active segment now (as a roll by size or age would).
    func forceRoll() throws {
        try lock.withLock { try roll() }
    }

    /// Every readable record from the log start offset on, as a consumer would fetch them
    /// (checking CRCs, following gaps).
    func allRecords() throws -> [LoggedRecord] {
        var result: [LoggedRecord] = []
        var offset = logStartOffset
        while offset < logEndOffset {
            let bytes = try read(from: offset, maxBytes: 1 << 20)
            let batches = try RecordBatch.batches(in: bytes, verifyCRC: true)
            guard let last = batches.last else { break }
            for batch in batches {
                try batch.forEachRecord(maxDecompressedSize: 1 << 26) { record in
                    if record.offset >= offset {
                        result.append(LoggedRecord(
                            record.offset, record.key.map { String(buffer: $0) }, record.value.map { String(buffer: $0) }))
                    }
                }
            }
            offset = last.header.lastOffset + 1
        }
        return result
    }

    /// Headers of every batch from the log start on.
    func allBatchHeaders() throws -> [RecordBatchHeader] {
        var result: [RecordBatchHeader] = []
        var offset = logStartOffset
        while offset < logEndOffset {
            let headers = TestBatch.headers(in: try read(from: offset, maxBytes: 1 << 20))
            guard let last = headers.last else { break }
            result += headers
            offset = last.lastOffset + 1
        }
        return result
    }
}
