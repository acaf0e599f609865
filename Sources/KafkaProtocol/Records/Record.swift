import NIOCore

/// One record of a RecordBatch v2, as a zero-copy view: `key`, `value` and the headers
/// are slices of the batch's (decompressed) records buffer.
///
/// Layout: length varint, attributes int8, timestampDelta varlong, offsetDelta varint,
/// key (varint length, -1 for null, bytes), value (likewise), header count varint, then per
/// header a key (varint length, UTF-8) and a value (varint length, -1 for null, bytes).
/// All varints are zigzag encoded.
public struct Record: Sendable, Equatable {
    /// The absolute offset: the batch's `baseOffset` plus ``offsetDelta``.
    public var offset: Int64
    /// The record's timestamp: `baseTimestamp + timestampDelta`, or the batch's
    /// `maxTimestamp` when the batch uses ``TimestampType/logAppendTime`` (as Kafka reports it).
    public var timestamp: Int64
    public var offsetDelta: Int32
    public var timestampDelta: Int64
    /// Record-level attributes; unused by Kafka so far, always 0 from current clients.
    public var attributes: Int8
    /// The key, or nil for a null key (distinct from an empty one).
    public var key: ByteBuffer?
    /// The value, or nil for a null value: a tombstone on compacted topics.
    public var value: ByteBuffer?
    public var headers: RecordHeaders
    /// The whole encoded record, length prefix included, e.g. for copying it verbatim.
    public var rawBytes: ByteBuffer

    /// Reads one record from `buffer`, checking that its fields fill exactly its declared length.
    ///
    /// - Throws: ``KafkaDecodingError`` when the record is malformed or truncated.
    init(reading buffer: inout ByteBuffer, in header: RecordBatchHeader) throws {
        // Read the length from a copy, so that the whole record, prefix included, can then be
        // taken as one slice (ByteBuffer only slices at or after its reader index).
        var lengthReader = buffer
        let length = try lengthReader.readVarInt()
        let prefixSize = lengthReader.readerIndex - buffer.readerIndex
        guard length >= 0, Int(length) <= lengthReader.readableBytes else {
            throw KafkaDecodingError("record length \(length) does not fit in the \(lengthReader.readableBytes) bytes left")
        }
        rawBytes = buffer.readSlice(length: prefixSize + Int(length))!
        var body = rawBytes.getSlice(at: rawBytes.readerIndex + prefixSize, length: Int(length))!

        attributes = try body.readKafkaInt8()
        timestampDelta = try body.readVarLong()
        offsetDelta = try body.readVarInt()
        key = try Self.readNullableBytes(&body, "key")
        value = try Self.readNullableBytes(&body, "value")

        let headerCount = try body.readVarInt()
        // Each header takes at least two bytes (two length varints): a cheap bound on a hostile count.
        guard headerCount >= 0, Int(headerCount) <= body.readableBytes / 2 else {
            throw KafkaDecodingError("record header count \(headerCount) is invalid for the \(body.readableBytes) bytes left")
        }
        let bodyAtHeaders = body
        for _ in 0..<headerCount {
            let keyLength = try body.readVarInt()
            guard keyLength >= 0 else { throw KafkaDecodingError("negative record header key length \(keyLength)") }
            guard body.readSlice(length: Int(keyLength)) != nil else { throw KafkaDecodingError.truncated("record header key") }
            _ = try Self.readNullableBytes(&body, "record header value")
        }
        headers = RecordHeaders(count: Int(headerCount), bytes: bodyAtHeaders.getSlice(at: bodyAtHeaders.readerIndex, length: body.readerIndex - bodyAtHeaders.readerIndex)!)
        guard body.readableBytes == 0 else {
            throw KafkaDecodingError("record length \(length) leaves \(body.readableBytes) bytes after its fields")
        }

        // Wrapping arithmetic: header fields are untrusted and must not trap on overflow.
        offset = header.baseOffset &+ Int64(offsetDelta)
        timestamp = header.isLogAppendTime ? header.maxTimestamp : header.baseTimestamp &+ timestampDelta
    }

    private static func readNullableBytes(_ buffer: inout ByteBuffer, _ what: String) throws -> ByteBuffer? {
        let length = try buffer.readVarInt()
        if length == -1 { return nil }
        guard length >= 0 else { throw KafkaDecodingError("invalid \(what) length \(length)") }
        guard let slice = buffer.readSlice(length: Int(length)) else { throw KafkaDecodingError.truncated(what) }
        return slice
    }
}
