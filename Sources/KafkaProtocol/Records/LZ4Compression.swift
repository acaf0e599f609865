import CCompression
import NIOCore

/// LZ4 in the frame format (magic 0x184D2204), through liblz4's `LZ4F_*` API.
///
/// The frame decoder handles every optional flag (block and content checksums, content
/// size, block sizes 64 KiB-4 MiB, linked or independent blocks) and skippable frames.
/// Old Kafka's broken header checksum only ever applied to magic 0/1 message sets, which
/// this broker does not accept, so it is not emulated.
enum LZ4Compression {
    /// Frame options; the defaults are what Kafka's Java `KafkaLZ4BlockOutputStream` writes
    /// (64 KiB independent blocks, no checksums besides the header's, no content size),
    /// which every Kafka client can read.
    struct FrameOptions: Sendable {
        enum BlockSize: Sendable {
            case max64KB, max256KB, max1MB, max4MB

            var id: LZ4F_blockSizeID_t {
                switch self {
                case .max64KB: LZ4F_max64KB
                case .max256KB: LZ4F_max256KB
                case .max1MB: LZ4F_max1MB
                case .max4MB: LZ4F_max4MB
                }
            }
        }

        var blockSize: BlockSize = .max64KB
        var linkedBlocks = false
        var blockChecksum = false
        var contentChecksum = false
        var contentSize = false
    }

    static func compress(_ input: ByteBuffer, allocator: ByteBufferAllocator, options: FrameOptions = FrameOptions()) throws -> ByteBuffer {
        var preferences = LZ4F_preferences_t()
        preferences.frameInfo.blockSizeID = options.blockSize.id
        preferences.frameInfo.blockMode = options.linkedBlocks ? LZ4F_blockLinked : LZ4F_blockIndependent
        preferences.frameInfo.blockChecksumFlag = options.blockChecksum ? LZ4F_blockChecksumEnabled : LZ4F_noBlockChecksum
        preferences.frameInfo.contentChecksumFlag = options.contentChecksum ? LZ4F_contentChecksumEnabled : LZ4F_noContentChecksum
        preferences.frameInfo.contentSize = options.contentSize ? UInt64(input.readableBytes) : 0
        let bound = LZ4F_compressFrameBound(input.readableBytes, &preferences)
        var output = allocator.buffer(capacity: bound)
        _ = try input.withUnsafeReadableBytes { source in
            try output.writeWithUnsafeMutableBytes(minimumWritableBytes: bound) { destination in
                let result = LZ4F_compressFrame(destination.baseAddress, destination.count, source.baseAddress, source.count, &preferences)
                if LZ4F_isError(result) != 0 {
                    throw CompressionError.compressionFailed(codec: .lz4, reason: String(cString: LZ4F_getErrorName(result)))
                }
                return result
            }
        }
        return output
    }

    /// Decodes one or more consecutive frames (librdkafka also reads on past a frame's end).
    static func decompress(_ input: ByteBuffer, into output: inout BoundedOutput) throws {
        var context: OpaquePointer?
        let created = LZ4F_createDecompressionContext(&context, UInt32(LZ4F_VERSION))
        guard LZ4F_isError(created) == 0, let context else {
            throw CompressionError.corruptInput(codec: .lz4, reason: "cannot create an LZ4F decompression context")
        }
        defer { LZ4F_freeDecompressionContext(context) }

        try input.withUnsafeReadableBytes { source in
            var offset = 0
            // LZ4F_decompress returns 0 exactly when a frame is complete; start "mid-frame"
            // so that empty input is reported as truncated.
            var hint = 1
            while offset < source.count || hint != 0 {
                var outputWasFilled = false
                try output.withWritableSpace { space in
                    var produced = space.count
                    var consumed = source.count - offset
                    hint = LZ4F_decompress(context, space.baseAddress, &produced, source.baseAddress.map { $0 + offset }, &consumed, nil)
                    if LZ4F_isError(hint) != 0 {
                        throw CompressionError.corruptInput(codec: .lz4, reason: String(cString: LZ4F_getErrorName(hint)))
                    }
                    offset += consumed
                    outputWasFilled = produced == space.count
                    return produced
                }
                // All input consumed, output flushed, frame still open: the payload is cut short.
                if hint != 0 && offset == source.count && !outputWasFilled {
                    throw CompressionError.corruptInput(codec: .lz4, reason: "truncated LZ4 frame")
                }
            }
        }
    }
}
