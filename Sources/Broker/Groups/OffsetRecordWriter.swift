/// Appends big-endian fields for the `__consumer_offsets` key/value encodings.
struct OffsetRecordWriter {
    private(set) var bytes: [UInt8] = []

    mutating func write(_ value: UInt8) {
        bytes.append(value)
    }

    mutating func write<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }

    /// u16 length + UTF-8. Group ids and topic names are far below 64 KiB (Kafka itself
    /// limits them to int16 lengths); longer ones are truncated rather than trapping.
    mutating func writeShortString(_ string: String) {
        let utf8 = Array(string.utf8.prefix(Int(UInt16.max)))
        write(UInt16(utf8.count))
        bytes.append(contentsOf: utf8)
    }

    /// i32 length + UTF-8, for commit metadata, whose limit is configurable.
    mutating func writeLongString(_ string: String) {
        let utf8 = Array(string.utf8)
        write(Int32(clamping: utf8.count))
        bytes.append(contentsOf: utf8)
    }
}
