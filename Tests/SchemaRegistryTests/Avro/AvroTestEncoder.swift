/// A minimal Avro binary encoder for building test payloads.
struct AvroTestEncoder {
    var bytes: [UInt8] = []

    mutating func long(_ value: Int64) {
        var raw = UInt64(bitPattern: (value << 1) ^ (value >> 63))
        while raw >= 0x80 {
            bytes.append(UInt8(raw & 0x7F) | 0x80)
            raw >>= 7
        }
        bytes.append(UInt8(raw))
    }

    mutating func int(_ value: Int32) { long(Int64(value)) }

    mutating func boolean(_ value: Bool) { bytes.append(value ? 1 : 0) }

    mutating func float(_ value: Float) {
        withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes += $0 }
    }

    mutating func double(_ value: Double) {
        withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes += $0 }
    }

    mutating func bytes(_ value: [UInt8]) {
        long(Int64(value.count))
        bytes += value
    }

    mutating func string(_ value: String) { bytes(Array(value.utf8)) }
}
