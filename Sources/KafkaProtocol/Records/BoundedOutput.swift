import NIOCore

/// A growable decompression output that refuses to hold more than `limit` bytes.
///
/// Streaming decoders are handed at most `limit + 1 - written` bytes of room: if a decoder
/// fills that last sentinel byte the stream is longer than allowed and we stop at once,
/// so a decompression bomb costs at most about `limit` bytes of memory.
struct BoundedOutput {
    let codec: CompressionCodec
    let limit: Int
    private(set) var buffer: ByteBuffer

    init(codec: CompressionCodec, limit: Int, allocator: ByteBufferAllocator, expectedSize: Int) {
        self.codec = codec
        self.limit = limit
        let initial = min(limit + 1, max(256, min(expectedSize, 1 << 20)))
        self.buffer = allocator.buffer(capacity: initial)
    }

    /// Bytes that may still be written without exceeding the limit.
    var remaining: Int { limit - buffer.readableBytes }

    /// Gives `body` a non-empty region to write into and appends the byte count it returns.
    ///
    /// - Throws: ``CompressionError/outputLimitExceeded(codec:limit:)`` once more than
    ///   `limit` bytes have been produced.
    mutating func withWritableSpace(_ body: (UnsafeMutableRawBufferPointer) throws -> Int) throws {
        let room = limit + 1 - buffer.readableBytes
        precondition(room > 0, "BoundedOutput used after exceeding its limit")
        if buffer.writableBytes == 0 {
            // Grow geometrically (amortised O(n) copies) but never past the sentinel byte.
            buffer.reserveCapacity(minimumWritableBytes: min(room, max(buffer.readableBytes, 64 * 1024)))
        }
        try buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: 1) { space in
            let usable = UnsafeMutableRawBufferPointer(rebasing: space[..<min(space.count, room)])
            let written = try body(usable)
            precondition(written >= 0 && written <= usable.count)
            return written
        }
        if buffer.readableBytes > limit {
            throw CompressionError.outputLimitExceeded(codec: codec, limit: limit)
        }
    }

    /// Appends exactly `count` bytes written by `body` (for codecs that know the size up front).
    mutating func append(exactly count: Int, _ body: (UnsafeMutableRawBufferPointer) throws -> Void) throws {
        guard count >= 0, count <= remaining else {
            throw CompressionError.outputLimitExceeded(codec: codec, limit: limit)
        }
        guard count > 0 else { return }
        buffer.reserveCapacity(minimumWritableBytes: count)
        try buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count) { space in
            try body(UnsafeMutableRawBufferPointer(rebasing: space[..<count]))
            return count
        }
    }
}
