import Foundation
import KafkaProtocol
import NIOCore

/// Reads the batches of one partition directory (`<topic>-<partition>`) as they are on disk,
/// for offline audits (`eventctl verify`), without ever modifying a file.
///
/// ``PartitionLog`` is the wrong tool for an audit: opening a log runs recovery, which
/// truncates a torn or corrupt tail and finishes interrupted segment swaps — it would
/// destroy exactly the evidence an auditor is looking for. This reader opens files
/// read-only, walks the segments in base-offset order and each segment's batches in file
/// order (it does not sort: batches out of order are evidence too), checks every batch's
/// length, magic and CRC, and reports bytes that are not a whole, valid batch as
/// ``Failure/corrupt(file:position:reason:)`` with the file and byte position.
///
/// Only committed segment files (`<20-digit base offset>.log`) are read; `.cleaned` and
/// `.swap` leftovers of an interrupted compaction are ignored, as recovery would before
/// deciding whether to finish the swap.
public struct LogDirectoryReader: Sendable {
    /// Why a directory could not be read completely.
    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        /// A file could not be listed, opened or read.
        case unreadable(path: String, reason: String)
        /// The bytes at `position` of `file` are not a whole, valid RecordBatch v2 (torn
        /// write, corruption, or tampering without fixing the CRC).
        case corrupt(file: String, position: Int, reason: String)

        public var description: String {
            switch self {
            case .unreadable(let path, let reason): "cannot read \(path): \(reason)"
            case .corrupt(let file, let position, let reason): "\(file) at byte \(position): \(reason)"
            }
        }
    }

    /// Where a batch was found.
    public struct Location: Sendable, Equatable, CustomStringConvertible {
        /// The segment file's path.
        public var file: String
        /// Byte position of the batch in the file.
        public var position: Int

        public var description: String { "\(file) at byte \(position)" }
    }

    /// The offsets the directory spans, computed as ``PartitionLog`` would on open.
    public struct Extent: Sendable, Equatable {
        /// The first offset of the log: the `log-start-offset.checkpoint` (written by retention
        /// and DeleteRecords) or the first segment's base offset, whichever is larger.
        public var logStartOffset: Int64
        /// One past the last offset of any batch (or the last segment's base offset when it is empty).
        public var logEndOffset: Int64

        public init(logStartOffset: Int64, logEndOffset: Int64) {
            self.logStartOffset = logStartOffset
            self.logEndOffset = logEndOffset
        }
    }

    public let directory: String
    /// Base offsets of the segments, ascending.
    public let segmentBaseOffsets: [Int64]
    /// The log start offset checkpoint, when the file exists.
    public let logStartOffsetCheckpoint: Int64?

    /// Lists the segments of `directory`. A directory that does not exist reads as an empty log.
    ///
    /// - Throws: ``Failure`` when the directory or the log start offset checkpoint is unreadable.
    public init(directory: String) throws(Failure) {
        self.directory = directory
        let fileManager = FileManager.default
        var isDirectory: ObjCBool = false
        guard fileManager.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            segmentBaseOffsets = []
            logStartOffsetCheckpoint = nil
            return
        }
        let names: [String]
        do {
            names = try fileManager.contentsOfDirectory(atPath: directory)
        } catch {
            throw .unreadable(path: directory, reason: "\(error)")
        }
        segmentBaseOffsets = names.compactMap(LogFileNames.baseOffset(ofLogFile:)).sorted()
        let checkpointPath = directory + "/" + LogFileNames.logStartOffsetCheckpoint
        if let data = fileManager.contents(atPath: checkpointPath) {
            let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard let value = Int64(text), value >= 0 else {
                throw .corrupt(file: checkpointPath, position: 0, reason: "not an offset: '\(text)'")
            }
            logStartOffsetCheckpoint = value
        } else {
            logStartOffsetCheckpoint = nil
        }
    }

    /// The path of the segment with `baseOffset`.
    public func segmentPath(baseOffset: Int64) -> String {
        directory + "/" + LogFileNames.segmentFile(baseOffset: baseOffset, suffix: LogFileNames.logSuffix)
    }

    /// Calls `body` with every batch, segments in base-offset order and batches in file order,
    /// each CRC-checked. Batch bytes are read one batch at a time, so memory holds one batch.
    ///
    /// Bad bytes go to `onCorruption`, which by default throws them. When it returns instead,
    /// the walk goes on where it still can: past a batch whose framing (length) is sound but
    /// whose contents are not (bad CRC or magic), or else with the next segment — so one
    /// damaged batch does not hide what follows it.
    ///
    /// - Returns: the log's start and end offsets, as far as the readable batches show them.
    /// - Throws: ``Failure/unreadable(path:reason:)``, what `onCorruption` throws, or what `body` throws.
    @discardableResult
    public func forEachBatch(
        onCorruption: (Failure) throws -> Void = { throw $0 },
        _ body: (RecordBatch, Location) throws -> Void
    ) throws -> Extent {
        var logEnd: Int64 = segmentBaseOffsets.last ?? (logStartOffsetCheckpoint ?? 0)
        for baseOffset in segmentBaseOffsets {
            let path = segmentPath(baseOffset: baseOffset)
            try Self.forEachBatch(inSegment: path, onCorruption: onCorruption) { batch, position in
                logEnd = max(logEnd, batch.header.lastOffset + 1)
                try body(batch, Location(file: path, position: position))
            }
        }
        let firstBase = segmentBaseOffsets.first ?? logEnd
        // Same rule as PartitionLog's recovery, so offline and online agree on the log start.
        let logStart = min(max(logStartOffsetCheckpoint ?? 0, firstBase), logEnd)
        return Extent(logStartOffset: logStart, logEndOffset: logEnd)
    }

    /// Walks one segment file read-only.
    private static func forEachBatch(
        inSegment path: String, onCorruption: (Failure) throws -> Void, _ body: (RecordBatch, Int) throws -> Void
    ) throws {
        // FileHandle(forReadingAtPath:) opens O_RDONLY: nothing here can write.
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw Failure.unreadable(path: path, reason: "cannot open for reading")
        }
        defer { try? handle.close() }
        var position = 0
        while true {
            let prefix = try read(handle, path: path, count: RecordBatchHeader.logOverhead)
            if prefix.isEmpty { return }  // clean end of file
            guard prefix.count == RecordBatchHeader.logOverhead else {
                return try onCorruption(.corrupt(file: path, position: position, reason: "\(prefix.count) bytes left, less than a batch header (torn write?)"))
            }
            let batchLength = prefix.withUnsafeBytes { Int32(bigEndian: $0.loadUnaligned(fromByteOffset: 8, as: Int32.self)) }
            guard batchLength >= RecordBatch.minimumBatchLength else {
                // Without a sound length the next batch cannot be found: give up on this segment.
                return try onCorruption(.corrupt(file: path, position: position, reason: "batch length \(batchLength) too small"))
            }
            let rest = try read(handle, path: path, count: Int(batchLength))
            guard rest.count == Int(batchLength) else {
                return try onCorruption(.corrupt(file: path, position: position, reason: "batch of \(Int(batchLength) + RecordBatchHeader.logOverhead) bytes runs past the end of the file (torn write?)"))
            }
            var bytes = ByteBufferAllocator().buffer(capacity: prefix.count + rest.count)
            bytes.writeBytes(prefix)
            bytes.writeBytes(rest)
            do {
                let batch = try RecordBatch(bytes: bytes, verifyCRC: true)
                // The CRC does not cover the leader epoch; this store always writes its own.
                if batch.header.partitionLeaderEpoch != PartitionLog.leaderEpoch {
                    try onCorruption(.corrupt(file: path, position: position, reason: "leader epoch \(batch.header.partitionLeaderEpoch), but this log store writes \(PartitionLog.leaderEpoch): the batch header was altered"))
                } else {
                    try body(batch, position)
                }
            } catch let error as RecordBatchError {
                try onCorruption(.corrupt(file: path, position: position, reason: "\(error)"))
            }
            position += bytes.readableBytes
        }
    }

    private static func read(_ handle: FileHandle, path: String, count: Int) throws -> Data {
        do {
            return try handle.read(upToCount: count) ?? Data()
        } catch {
            throw Failure.unreadable(path: path, reason: "\(error)")
        }
    }
}
