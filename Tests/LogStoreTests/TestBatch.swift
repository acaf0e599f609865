import Foundation
import KafkaProtocol
import Logging
import NIOCore
@testable import LogStore

/// A minimal, uncompressed RecordBatch v2 encoder for tests.
enum TestBatch {
    /// One batch of `records` records with `valueSize`-byte values. Timestamps run from
    /// `baseTimestamp` in steps of 1 ms unless `maxTimestamp` overrides the header field.
    static func make(
        records: Int = 1,
        valueSize: Int = 10,
        baseTimestamp: Int64 = 1_000,
        producerId: Int64 = -1,
        producerEpoch: Int16 = -1,
        baseSequence: Int32 = -1,
        fill: UInt8 = 0x61
    ) -> ByteBuffer {
        precondition(records >= 1)
        var body = ByteBuffer()
        for i in 0..<records {
            var record = ByteBuffer()
            record.writeInteger(Int8(0))                 // attributes
            record.writeVarLong(Int64(i))                // timestamp delta
            record.writeVarInt(Int32(i))                 // offset delta
            record.writeVarInt(-1)                       // null key
            record.writeVarInt(Int32(valueSize))
            record.writeRepeatingByte(fill, count: valueSize)
            record.writeVarInt(0)                        // no headers
            body.writeVarInt(Int32(record.readableBytes))
            body.writeBuffer(&record)
        }
        var batch = ByteBuffer()
        batch.writeInteger(Int64(0), endianness: .big)                    // baseOffset
        batch.writeInteger(Int32(RecordBatchHeader.size - 12 + body.readableBytes), endianness: .big)
        batch.writeInteger(Int32(-1), endianness: .big)                   // partitionLeaderEpoch
        batch.writeInteger(Int8(2))                                       // magic
        batch.writeInteger(UInt32(0), endianness: .big)                   // crc, filled below
        batch.writeInteger(Int16(0), endianness: .big)                    // attributes
        batch.writeInteger(Int32(records - 1), endianness: .big)          // lastOffsetDelta
        batch.writeInteger(baseTimestamp, endianness: .big)
        batch.writeInteger(baseTimestamp + Int64(records - 1), endianness: .big)
        batch.writeInteger(producerId, endianness: .big)
        batch.writeInteger(producerEpoch, endianness: .big)
        batch.writeInteger(baseSequence, endianness: .big)
        batch.writeInteger(Int32(records), endianness: .big)
        batch.writeBuffer(&body)
        let crc = RecordBatchHeader.computeCRC(buffer: batch, at: 0, totalSize: batch.readableBytes)!
        batch.setInteger(crc, at: RecordBatchHeader.crcOffset, endianness: .big)
        return batch
    }

    /// Headers of the batches in `buffer`, checking that each is whole and has a valid CRC.
    static func headers(in buffer: ByteBuffer) -> [RecordBatchHeader] {
        var result: [RecordBatchHeader] = []
        var at = buffer.readerIndex
        while let header = RecordBatchHeader(buffer: buffer, at: at) {
            precondition(at + header.totalSize <= buffer.writerIndex, "partial batch in read result")
            precondition(header.hasValidCRC(buffer: buffer, at: at), "bad CRC in read result")
            result.append(header)
            at += header.totalSize
        }
        precondition(at == buffer.writerIndex, "trailing bytes in read result")
        return result
    }
}

/// A temporary data directory removed at the end of a test.
final class TempDirectory {
    let path: String

    init() {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("logstore-test-\(UUID().uuidString)").path
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

let testLogger: Logger = {
    var logger = Logger(label: "LogStoreTests")
    logger.logLevel = .critical
    return logger
}()

extension PartitionLog {
    /// Appends `count` single-record batches and returns their base offsets.
    @discardableResult
    func appendBatches(_ count: Int, records: Int = 1, valueSize: Int = 10, now: Int64 = 0) throws -> [Int64] {
        try (0..<count).map { _ in try append(TestBatch.make(records: records, valueSize: valueSize), now: now).baseOffset }
    }

    /// Path of the segment file with `baseOffset` and `suffix`.
    func segmentPath(_ baseOffset: Int64, _ suffix: String = ".log") -> String {
        directory + "/" + LogFileNames.segmentFile(baseOffset: baseOffset, suffix: suffix)
    }
}

/// Appends raw bytes to the end of a file (to simulate torn writes).
func appendBytes(_ bytes: [UInt8], toFile path: String) throws {
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    try handle.seekToEnd()
    try handle.write(contentsOf: bytes)
    try handle.close()
}

func fileSize(_ path: String) throws -> Int {
    (try FileManager.default.attributesOfItem(atPath: path)[.size] as! NSNumber).intValue
}
