#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
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
    /// each CRC-checked. Batches are slices of 4 MiB reads (``chunkSize``); memory holds the
    /// chunks of the batches the caller still holds.
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

    /// Bytes read from a segment per `pread`: batches are handed out as slices of these
    /// chunks, so many small batches cost one read and no copy each.
    static let chunkSize = 4 << 20

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
        // The file's unread bytes from `position` on, as far as read so far.
        var chunk = ByteBuffer()
        while true {
            try fill(&chunk, atLeast: RecordBatchHeader.logOverhead, from: handle, at: position, path: path)
            if chunk.readableBytes == 0 { return }  // clean end of file
            guard chunk.readableBytes >= RecordBatchHeader.logOverhead else {
                return try onCorruption(.corrupt(file: path, position: position, reason: "\(chunk.readableBytes) bytes left, less than a batch header (torn write?)"))
            }
            let batchLength = chunk.getInteger(at: chunk.readerIndex + 8, endianness: .big, as: Int32.self)!
            guard batchLength >= RecordBatch.minimumBatchLength else {
                // Without a sound length the next batch cannot be found: give up on this segment.
                return try onCorruption(.corrupt(file: path, position: position, reason: "batch length \(batchLength) too small"))
            }
            let totalSize = RecordBatchHeader.logOverhead + Int(batchLength)
            try fill(&chunk, atLeast: totalSize, from: handle, at: position, path: path)
            guard let bytes = chunk.readSlice(length: totalSize) else {
                return try onCorruption(.corrupt(file: path, position: position, reason: "batch of \(totalSize) bytes runs past the end of the file (torn write?)"))
            }
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
            position += totalSize
        }
    }

    /// Makes `chunk` (the file's bytes from `position`) hold at least `count` bytes, or all
    /// that is left of the file. Reads into a new buffer rather than compacting the old one:
    /// batches already handed out are slices of it.
    private static func fill(_ chunk: inout ByteBuffer, atLeast count: Int, from handle: FileHandle, at position: Int, path: String) throws {
        guard chunk.readableBytes < count else { return }
        let wanted = max(count, chunkSize)
        var next = ByteBufferAllocator().buffer(capacity: wanted)
        next.writeBuffer(&chunk)
        let missing = wanted - next.readableBytes
        let fileOffset = position + next.readableBytes
        try next.writeWithUnsafeMutableBytes(minimumWritableBytes: missing) { target in
            var done = 0
            while done < missing {
                let n = pread(handle.fileDescriptor, target.baseAddress! + done, missing - done, off_t(fileOffset + done))
                if n < 0 {
                    if errno == EINTR { continue }
                    throw Failure.unreadable(path: path, reason: String(cString: strerror(errno)))
                }
                if n == 0 { break }
                done += n
            }
            return done
        }
        chunk = next
    }
}
