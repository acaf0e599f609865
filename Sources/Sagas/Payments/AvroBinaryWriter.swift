/// Just enough of Avro's binary encoding for the audit records the payment saga writes,
/// behind Confluent's framing (magic byte 0, big-endian schema id).
struct AvroBinaryWriter {
    private(set) var bytes: [UInt8]

    init(schemaID: Int32) {
        bytes = [0]
        bytes.reserveCapacity(256)
        withUnsafeBytes(of: schemaID.bigEndian) { bytes.append(contentsOf: $0) }
    }

    /// `long` and `int`: zig-zag, then base-128 varint.
    mutating func long(_ value: Int64) {
        var zigzag = UInt64(bitPattern: (value << 1) ^ (value >> 63))
        while zigzag >= 0x80 {
            bytes.append(UInt8(zigzag & 0x7F) | 0x80)
            zigzag >>= 7
        }
        bytes.append(UInt8(zigzag))
    }

    mutating func string(_ value: String) {
        long(Int64(value.utf8.count))
        bytes.append(contentsOf: value.utf8)
    }

    /// An enum symbol by its index in the schema.
    mutating func symbol(_ index: Int) { long(Int64(index)) }

    /// A `["null", "string"]` union.
    mutating func optionalString(_ value: String?) {
        guard let value else { return long(0) }
        long(1)
        string(value)
    }

    /// A `["null", "long"]` union.
    mutating func optionalLong(_ value: Int64?) {
        guard let value else { return long(0) }
        long(1)
        long(value)
    }

    /// An array of strings: one block, then the empty block that ends it.
    mutating func strings(_ values: [String]) {
        if !values.isEmpty {
            long(Int64(values.count))
            for value in values { string(value) }
        }
        long(0)
    }
}
