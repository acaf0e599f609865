import NIOCore

/// One record of a RecordBatch v2, as a zero-copy view: `key`, `value` and the headers
/// are slices of the batch's (decompressed) records buffer, cut where ``RecordView``'s
/// parser found them.
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

    /// The record `view` shows, as slices of `section`, whose first readable byte is at
    /// `sectionStart` (the view's bytes lie inside it; ``RecordBatch`` parses both at once).
    init(_ view: RecordView, in section: ByteBuffer, sectionStart: UnsafeRawPointer?) {
        func slice(_ bytes: UnsafeRawBufferPointer) -> ByteBuffer {
            // An empty field may have no address; it is an empty slice wherever it is taken.
            let offset = bytes.baseAddress.map { $0 - sectionStart! } ?? 0
            return section.getSlice(at: section.readerIndex + offset, length: bytes.count)!
        }
        offset = view.offset
        timestamp = view.timestamp
        offsetDelta = view.offsetDelta
        timestampDelta = view.timestampDelta
        attributes = view.attributes
        key = view.key.map(slice)
        value = view.value.map(slice)
        headers = RecordHeaders(count: view.headerCount, bytes: slice(view.headers))
        rawBytes = slice(view.rawBytes)
    }
}
