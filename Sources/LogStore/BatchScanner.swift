import KafkaProtocol
import NIOCore

/// Walks the record batches of a segment file from a position, reading the file in chunks so
/// that many small batches cost one `pread`, and never reading the body of a batch it is only
/// asked to skip.
///
/// Used by recovery (with full-batch CRC checks), by index rebuilds and by producer-state
/// rebuilds (headers only), and by reads to find the batch holding an offset.
struct BatchScanner {
    /// One step of the walk.
    enum Step {
        /// A structurally sound batch header at `position` of the file.
        case batch(RecordBatchHeader, position: Int)
        /// Clean end: the walk reached `end` exactly.
        case end
        /// The bytes at `position` are not a whole, well-formed batch (torn write or corruption).
        case invalid(position: Int, reason: String)
    }

    static let chunkSize = 64 * 1024

    let file: PosixFile
    /// Exclusive upper bound of the walk (the segment's committed size).
    let end: Int
    /// Where the next batch starts.
    private(set) var position: Int
    private var chunk: ByteBuffer
    private var chunkStart = 0

    init(file: PosixFile, from position: Int, end: Int) {
        self.file = file
        self.position = position
        self.end = end
        self.chunk = ByteBufferAllocator().buffer(capacity: 0)
    }

    /// Reads the next header and moves past its batch. Checks only what the header says about
    /// itself and the file: length, magic, and that the batch does not run past `end`.
    mutating func next() throws -> Step {
        let at = position
        guard at < end else { return .end }
        guard end - at >= RecordBatchHeader.size else {
            return .invalid(position: at, reason: "\(end - at) bytes left, less than a batch header")
        }
        let bytes = try self.bytes(at: at, length: RecordBatchHeader.size)
        guard let header = RecordBatchHeader(buffer: bytes, at: bytes.readerIndex) else {
            return .invalid(position: at, reason: "short read")
        }
        if header.magic != 2 { return .invalid(position: at, reason: "magic \(header.magic), expected 2") }
        if header.totalSize < RecordBatchHeader.size {
            return .invalid(position: at, reason: "batch length \(header.batchLength) too small")
        }
        if header.totalSize > end - at {
            return .invalid(position: at, reason: "batch of \(header.totalSize) bytes runs past the end of the file")
        }
        if header.lastOffsetDelta < 0 {
            return .invalid(position: at, reason: "negative lastOffsetDelta \(header.lastOffsetDelta)")
        }
        position = at + header.totalSize
        return .batch(header, position: at)
    }

    /// The file's bytes `[at, at + length)`, as a slice of the cached chunk when they fit in one.
    mutating func bytes(at: Int, length: Int) throws -> ByteBuffer {
        if at >= chunkStart, at + length <= chunkStart + chunk.readableBytes {
            return chunk.getSlice(at: chunk.readerIndex + at - chunkStart, length: length)!
        }
        if length > Self.chunkSize {
            // A big batch: read just it rather than growing the chunk.
            var single = ByteBufferAllocator().buffer(capacity: length)
            try file.read(into: &single, at: at, length: length)
            return single
        }
        chunk.clear()
        chunkStart = at
        try file.read(into: &chunk, at: at, length: min(Self.chunkSize, max(length, end - at)))
        return chunk.getSlice(at: chunk.readerIndex, length: min(length, chunk.readableBytes))!
    }

    /// True when the batch at `position` (whose header was just returned) has a valid CRC.
    mutating func hasValidCRC(_ header: RecordBatchHeader, at position: Int) throws -> Bool {
        let bytes = try self.bytes(at: position, length: header.totalSize)
        return RecordBatchHeader.computeCRC(buffer: bytes, at: bytes.readerIndex, totalSize: header.totalSize) == header.crc
    }
}
