import CCompression
import NIOCore

/// Zstandard through libzstd's streaming API, so frames without a declared content size
/// (what streaming encoders such as Java's zstd-jni write) decode as well as those with one.
enum ZstdCompression {
    static func compress(_ input: ByteBuffer, allocator: ByteBufferAllocator, includeContentSize: Bool = true) throws -> ByteBuffer {
        guard let context = ZSTD_createCCtx() else {
            throw CompressionError.compressionFailed(codec: .zstd, reason: "cannot create a compression context")
        }
        defer { ZSTD_freeCCtx(context) }
        try check(ZSTD_CCtx_setParameter(context, ZSTD_c_compressionLevel, ZSTD_CLEVEL_DEFAULT))
        try check(ZSTD_CCtx_setParameter(context, ZSTD_c_contentSizeFlag, includeContentSize ? 1 : 0))
        let bound = ZSTD_compressBound(input.readableBytes)
        var output = allocator.buffer(capacity: bound)
        _ = try input.withUnsafeReadableBytes { source in
            try output.writeWithUnsafeMutableBytes(minimumWritableBytes: bound) { destination in
                let result = ZSTD_compress2(context, destination.baseAddress, destination.count, source.baseAddress, source.count)
                try check(result)
                return result
            }
        }
        return output
    }

    private static func check(_ result: Int) throws {
        if ZSTD_isError(result) != 0 {
            throw CompressionError.compressionFailed(codec: .zstd, reason: String(cString: ZSTD_getErrorName(result)))
        }
    }

    /// Decodes one or more consecutive frames (skippable frames included).
    ///
    /// The decoder's window limit stays at libzstd's default (128 MiB, as in Kafka and
    /// librdkafka): lowering it would reject valid frames whose window exceeds their content.
    static func decompress(_ input: ByteBuffer, into output: inout BoundedOutput) throws {
        guard let context = ZSTD_createDCtx() else {
            throw CompressionError.corruptInput(codec: .zstd, reason: "cannot create a decompression context")
        }
        defer { ZSTD_freeDCtx(context) }

        try input.withUnsafeReadableBytes { source in
            var inBuffer = ZSTD_inBuffer(src: source.baseAddress, size: source.count, pos: 0)
            // ZSTD_decompressStream returns 0 exactly when a frame is complete and flushed;
            // start "mid-frame" so that empty input is reported as truncated.
            var hint = 1
            while inBuffer.pos < inBuffer.size || hint != 0 {
                var outputWasFilled = false
                try output.withWritableSpace { space in
                    var outBuffer = ZSTD_outBuffer(dst: space.baseAddress, size: space.count, pos: 0)
                    hint = ZSTD_decompressStream(context, &outBuffer, &inBuffer)
                    if ZSTD_isError(hint) != 0 {
                        throw CompressionError.corruptInput(codec: .zstd, reason: String(cString: ZSTD_getErrorName(hint)))
                    }
                    outputWasFilled = outBuffer.pos == outBuffer.size
                    return outBuffer.pos
                }
                if hint != 0 && inBuffer.pos == inBuffer.size && !outputWasFilled {
                    throw CompressionError.corruptInput(codec: .zstd, reason: "truncated zstd frame")
                }
            }
        }
    }
}
