import CCompression
import NIOCore

/// Snappy in the two shapes Kafka clients send.
///
/// - librdkafka sends one raw Snappy block.
/// - The Java client wraps Snappy in xerial's `SnappyOutputStream` framing: an 8-byte magic
///   (`0x82 "SNAPPY" 0x00`), int32 version, int32 compatible version, then repeated
///   `[int32 big-endian length][raw Snappy block]` chunks of up to 32 KiB of input each.
///
/// Decoding tells them apart by the magic, as both Kafka and librdkafka do. Encoding writes
/// the xerial framing, which every Kafka client can read.
enum SnappyCompression {
    static let xerialMagic: [UInt8] = [0x82, 0x53, 0x4E, 0x41, 0x50, 0x50, 0x59, 0x00]
    /// Magic plus the two int32 version fields.
    static let xerialHeaderSize = 16
    /// Input bytes per chunk; snappy-java's default block size.
    static let xerialChunkSize = 32 * 1024

    static func compressXerial(_ input: ByteBuffer, allocator: ByteBufferAllocator) throws -> ByteBuffer {
        let chunkCount = (input.readableBytes + xerialChunkSize - 1) / xerialChunkSize
        var output = allocator.buffer(capacity: xerialHeaderSize + chunkCount * (4 + snappy_max_compressed_length(xerialChunkSize)))
        output.writeBytes(xerialMagic)
        output.writeInteger(1, endianness: .big, as: Int32.self)  // version
        output.writeInteger(1, endianness: .big, as: Int32.self)  // minimum compatible version
        try input.withUnsafeReadableBytes { source in
            var offset = 0
            while offset < source.count {
                let chunk = UnsafeRawBufferPointer(rebasing: source[offset..<min(source.count, offset + xerialChunkSize)])
                let lengthIndex = output.writerIndex
                output.writeInteger(0, endianness: .big, as: Int32.self)
                let written = try writeRawBlock(chunk, to: &output)
                output.setInteger(Int32(written), at: lengthIndex, endianness: .big)
                offset += chunk.count
            }
        }
        return output
    }

    /// One raw Snappy block, as librdkafka sends it.
    static func compressRaw(_ input: ByteBuffer, allocator: ByteBufferAllocator) throws -> ByteBuffer {
        var output = allocator.buffer(capacity: snappy_max_compressed_length(input.readableBytes))
        try input.withUnsafeReadableBytes { _ = try writeRawBlock($0, to: &output) }
        return output
    }

    private static func writeRawBlock(_ source: UnsafeRawBufferPointer, to output: inout ByteBuffer) throws -> Int {
        let bound = snappy_max_compressed_length(source.count)
        return try output.writeWithUnsafeMutableBytes(minimumWritableBytes: bound) { destination in
            var length = destination.count
            let status = snappy_compress(source.baseAddress?.assumingMemoryBound(to: CChar.self), source.count,
                                         destination.bindMemory(to: CChar.self).baseAddress, &length)
            guard status == SNAPPY_OK else {
                throw CompressionError.compressionFailed(codec: .snappy, reason: "snappy_compress returned \(status.rawValue)")
            }
            return length
        }
    }

    static func decompress(_ input: ByteBuffer, into output: inout BoundedOutput) throws {
        try input.withUnsafeReadableBytes { source in
            if isXerial(source) {
                try decompressXerial(source, into: &output)
            } else {
                try decompressRawBlock(source, into: &output)
            }
        }
    }

    private static func isXerial(_ bytes: UnsafeRawBufferPointer, at offset: Int = 0) -> Bool {
        bytes.count - offset >= xerialHeaderSize && bytes[offset..<offset + xerialMagic.count].elementsEqual(xerialMagic)
    }

    private static func decompressXerial(_ source: UnsafeRawBufferPointer, into output: inout BoundedOutput) throws {
        var offset = xerialHeaderSize
        while offset < source.count {
            // snappy-java's reader accepts concatenated streams: a new header may follow any chunk.
            // A chunk length can never start with 0x82 (it would be negative), so this is unambiguous.
            if isXerial(source, at: offset) {
                offset += xerialHeaderSize
                continue
            }
            guard source.count - offset >= 4 else {
                throw CompressionError.corruptInput(codec: .snappy, reason: "truncated xerial chunk length")
            }
            let length = Int(Int32(bitPattern: source.loadUnaligned(fromByteOffset: offset, as: UInt32.self).bigEndian))
            offset += 4
            guard length >= 0, length <= source.count - offset else {
                throw CompressionError.corruptInput(codec: .snappy, reason: "xerial chunk length \(length) exceeds the \(source.count - offset) bytes left")
            }
            try decompressRawBlock(UnsafeRawBufferPointer(rebasing: source[offset..<offset + length]), into: &output)
            offset += length
        }
    }

    private static func decompressRawBlock(_ block: UnsafeRawBufferPointer, into output: inout BoundedOutput) throws {
        guard let base = block.bindMemory(to: CChar.self).baseAddress, block.count > 0 else {
            throw CompressionError.corruptInput(codec: .snappy, reason: "empty snappy block")
        }
        var length = 0
        guard snappy_uncompressed_length(base, block.count, &length) == SNAPPY_OK else {
            throw CompressionError.corruptInput(codec: .snappy, reason: "invalid snappy length preamble")
        }
        if length == 0 {
            // Nothing to write, but the block must still be well formed.
            guard snappy_validate_compressed_buffer(base, block.count) == SNAPPY_OK else {
                throw CompressionError.corruptInput(codec: .snappy, reason: "invalid empty snappy block")
            }
            return
        }
        // The preamble is untrusted: check it against the limit before allocating anything.
        try output.append(exactly: length) { destination in
            var written = length
            let status = snappy_uncompress(base, block.count, destination.bindMemory(to: CChar.self).baseAddress, &written)
            guard status == SNAPPY_OK, written == length else {
                throw CompressionError.corruptInput(codec: .snappy, reason: "snappy_uncompress returned \(status.rawValue)")
            }
        }
    }
}
