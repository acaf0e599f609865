import NIOCore

/// Why a connection's byte stream is not a sequence of Kafka frames.
public enum KafkaFrameError: Error, Equatable, Sendable {
    /// The size prefix exceeds the configured maximum.
    case frameTooLarge(Int32, max: Int)
    /// The size prefix is negative.
    case negativeLength(Int32)
}

/// Splits a stream into Kafka frames: an int32 size prefix, then that many bytes.
/// Emits each frame body (without the prefix) as a slice of the inbound buffer.
///
/// A negative or too-large size throws `KafkaFrameError`; the pipeline then closes
/// that connection only.
public struct KafkaFrameDecoder: ByteToMessageDecoder {
    public typealias InboundOut = ByteBuffer

    /// Default maximum frame size: 100 MiB (Kafka's socket.request.max.bytes).
    public static let defaultMaxFrameSize = 100 * 1024 * 1024

    public let maxFrameSize: Int

    public init(maxFrameSize: Int = KafkaFrameDecoder.defaultMaxFrameSize) {
        self.maxFrameSize = maxFrameSize
    }

    /// Frames up to this size get their whole size reserved as soon as their prefix arrives.
    static let reserveWholeFrameUpTo = 2 << 20

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let frame = try Self.readFrame(from: &buffer, maxFrameSize: maxFrameSize) else {
            Self.reserveRestOfFrame(in: &buffer)
            return .needMoreData
        }
        context.fireChannelRead(Self.wrapInboundOut(frame))
        return .continue
    }

    public mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        try decode(context: context, buffer: &buffer)
    }

    /// Makes room for the rest of a partly received frame in one step.
    ///
    /// A produce request (up to a megabyte with librdkafka's defaults) arrives over many
    /// reads. Left to itself the cumulation buffer grows by doubling, and when a read ends
    /// inside a frame that starts behind earlier ones `ByteToMessageHandler` compacts it;
    /// while those earlier frames' slices still share the storage (the audit chain keeps a
    /// stored batch until it is hashed) compaction copies into new storage of the old one's
    /// size. Growth and compaction were 13% of the broker's CPU at 1 KiB values, and with
    /// growth reserved up front compaction alone was still 8.7%. So a frame that starts
    /// behind earlier bytes moves, with what has arrived of it, into a buffer of its own
    /// sized for all of it: one copy of the bytes received so far, after which every read
    /// lands in place and nothing is left to compact. Pages of the reservation are only
    /// touched as bytes arrive, so a client that announces a large frame and sends little
    /// does not make the broker hold memory it never receives; frames above
    /// ``reserveWholeFrameUpTo`` still grow as they arrive, and small ones (below
    /// ``moveFramesFrom``) are left to NIO's own compaction, which costs little for them.
    static func reserveRestOfFrame(in buffer: inout ByteBuffer) {
        guard let length = buffer.getInteger(at: buffer.readerIndex, endianness: .big, as: Int32.self),
              length > 0, Int(length) <= reserveWholeFrameUpTo else { return }
        let frameBytes = 4 + Int(length)
        if buffer.readerIndex > 0 && frameBytes >= moveFramesFrom {
            var own = ByteBufferAllocator().buffer(capacity: frameBytes)
            own.writeImmutableBuffer(buffer)
            buffer = own
            return
        }
        let missing = frameBytes - buffer.readableBytes
        if missing > buffer.writableBytes {
            buffer.reserveCapacity(minimumWritableBytes: missing)
        }
    }

    /// Partly received frames at least this large get a buffer of their own (see ``reserveRestOfFrame(in:)``).
    static let moveFramesFrom = 64 << 10

    /// Reads one whole frame body from `buffer`, or returns nil (consuming nothing)
    /// when the frame is not complete yet.
    public static func readFrame(from buffer: inout ByteBuffer, maxFrameSize: Int = defaultMaxFrameSize) throws -> ByteBuffer? {
        guard let length = buffer.getInteger(at: buffer.readerIndex, endianness: .big, as: Int32.self) else {
            return nil
        }
        if length < 0 { throw KafkaFrameError.negativeLength(length) }
        if Int(length) > maxFrameSize { throw KafkaFrameError.frameTooLarge(length, max: maxFrameSize) }
        guard buffer.readableBytes >= 4 + Int(length) else { return nil }
        buffer.moveReaderIndex(forwardBy: 4)
        return buffer.readSlice(length: Int(length))
    }
}

extension ByteBuffer {
    /// Writes a Kafka frame: reserves the 4-byte size, lets `body` write, then back-fills the size.
    @inlinable
    public mutating func writeKafkaFrame(_ body: (inout ByteBuffer) -> Void) {
        let lengthIndex = writerIndex
        writeInteger(0, endianness: .big, as: Int32.self)
        body(&self)
        let length = writerIndex - lengthIndex - 4
        setInteger(Int32(truncatingIfNeeded: length), at: lengthIndex, endianness: .big)
    }
}
