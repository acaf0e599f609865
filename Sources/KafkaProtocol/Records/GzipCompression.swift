import CCompression
import NIOCore

/// gzip through zlib, with the gzip wrapper (RFC 1952) Kafka clients use.
enum GzipCompression {
    /// windowBits 15 plus 16 selects the gzip header and trailer instead of the zlib ones.
    private static let gzipWindowBits: Int32 = 15 + 16

    static func compress(_ input: ByteBuffer, allocator: ByteBufferAllocator) throws -> ByteBuffer {
        var stream = z_stream()
        var rc = deflateInit2_(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, gzipWindowBits, 8, Z_DEFAULT_STRATEGY,
                               ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard rc == Z_OK else { throw CompressionError.compressionFailed(codec: .gzip, reason: "deflateInit2 returned \(rc)") }
        defer { deflateEnd(&stream) }
        guard input.readableBytes <= Int(UInt32.max / 2) else {
            throw CompressionError.compressionFailed(codec: .gzip, reason: "input too large")
        }
        let bound = Int(deflateBound(&stream, UInt(input.readableBytes)))
        var output = allocator.buffer(capacity: bound)
        _ = try input.withUnsafeReadableBytes { source in
            try output.writeWithUnsafeMutableBytes(minimumWritableBytes: bound) { destination in
                // zlib's next_in is not const-qualified, but deflate never writes through it.
                stream.next_in = UnsafeMutablePointer(mutating: source.bindMemory(to: Bytef.self).baseAddress)
                stream.avail_in = UInt32(source.count)
                stream.next_out = destination.bindMemory(to: Bytef.self).baseAddress
                stream.avail_out = UInt32(min(destination.count, Int(UInt32.max)))
                // deflateBound guarantees a single Z_FINISH call completes the stream.
                rc = deflate(&stream, Z_FINISH)
                guard rc == Z_STREAM_END else {
                    throw CompressionError.compressionFailed(codec: .gzip, reason: "deflate returned \(rc)")
                }
                return Int(stream.total_out)
            }
        }
        return output
    }

    /// Inflates every gzip member in `input` (concatenated members decode to the
    /// concatenation of their contents, as `gzip -d` and Java's GZIPInputStream do).
    static func decompress(_ input: ByteBuffer, into output: inout BoundedOutput) throws {
        guard input.readableBytes <= Int(UInt32.max) else {
            throw CompressionError.corruptInput(codec: .gzip, reason: "input too large")
        }
        var stream = z_stream()
        let initRC = inflateInit2_(&stream, gzipWindowBits, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard initRC == Z_OK else { throw CompressionError.corruptInput(codec: .gzip, reason: "inflateInit2 returned \(initRC)") }
        defer { inflateEnd(&stream) }

        try input.withUnsafeReadableBytes { source in
            stream.next_in = UnsafeMutablePointer(mutating: source.bindMemory(to: Bytef.self).baseAddress)
            stream.avail_in = UInt32(source.count)
            while true {
                var rc: Int32 = Z_OK
                var outputWasFilled = false
                try output.withWritableSpace { space in
                    let room = min(space.count, Int(UInt32.max))
                    stream.next_out = space.bindMemory(to: Bytef.self).baseAddress
                    stream.avail_out = UInt32(room)
                    rc = inflate(&stream, Z_NO_FLUSH)
                    outputWasFilled = stream.avail_out == 0
                    return room - Int(stream.avail_out)
                }
                switch rc {
                case Z_STREAM_END:
                    if stream.avail_in == 0 { return }
                    // Another member follows: start over on the remaining bytes (garbage
                    // after the last member fails the next member's header check).
                    let resetRC = inflateReset(&stream)
                    guard resetRC == Z_OK else { throw CompressionError.corruptInput(codec: .gzip, reason: "inflateReset returned \(resetRC)") }
                case Z_OK, Z_BUF_ERROR:
                    // No more input but the member is not finished: the payload is cut short.
                    if stream.avail_in == 0 && !outputWasFilled {
                        throw CompressionError.corruptInput(codec: .gzip, reason: "truncated gzip stream")
                    }
                default:
                    let message = stream.msg.map { String(cString: $0) } ?? "inflate returned \(rc)"
                    throw CompressionError.corruptInput(codec: .gzip, reason: message)
                }
            }
        }
    }
}
