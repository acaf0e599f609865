import NIOCore

/// The headers of a ``Record``, parsed lazily from the record's bytes.
///
/// Most consumers of records (compaction, offset tracking) never look at headers, so
/// iteration validates their layout once but allocates a `String` per key only when a
/// header is actually read. ``bytes`` gives the encoded form, e.g. for hashing.
public struct RecordHeaders: Sequence, Sendable, Equatable {
    /// Number of headers.
    public let count: Int
    /// The encoded headers, after the count: per header a varint key length, the key's
    /// UTF-8 bytes, a varint value length (-1 for null) and the value bytes.
    public let bytes: ByteBuffer

    /// Wraps already-validated header bytes (see ``Record``'s parser).
    init(count: Int, bytes: ByteBuffer) {
        self.count = count
        self.bytes = bytes
    }

    public var isEmpty: Bool { count == 0 }

    /// The value of the first header named `key`: `.some(nil)` for a null value,
    /// nil when there is no such header.
    public func first(named key: String) -> ByteBuffer?? {
        for header in self where header.key == key {
            return .some(header.value)
        }
        return nil
    }

    public func makeIterator() -> Iterator {
        Iterator(remaining: count, buffer: bytes)
    }

    public struct Iterator: IteratorProtocol {
        var remaining: Int
        var buffer: ByteBuffer

        public mutating func next() -> RecordHeader? {
            guard remaining > 0 else { return nil }
            remaining -= 1
            // The layout was checked when the record was parsed, so these reads succeed;
            // should they not, iteration simply ends rather than trapping.
            guard let keyLength = try? buffer.readVarInt(), keyLength >= 0,
                  let key = buffer.readString(length: Int(keyLength)),
                  let valueLength = try? buffer.readVarInt() else {
                remaining = 0
                return nil
            }
            if valueLength < 0 { return RecordHeader(key: key, value: nil) }
            guard let value = buffer.readSlice(length: Int(valueLength)) else {
                remaining = 0
                return nil
            }
            return RecordHeader(key: key, value: value)
        }
    }
}
