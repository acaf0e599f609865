/// The CRC-64-AVRO (Rabin) fingerprint of the Avro specification, computed over
/// a schema's Parsing Canonical Form.
enum AvroFingerprint {
    static let empty: UInt64 = 0xC15D_213A_A4D7_A795

    private static let table: [UInt64] = (0..<256).map { i in
        var fp = UInt64(i)
        for _ in 0..<8 {
            // -(fp & 1) as a mask: all ones when the low bit is set.
            fp = (fp >> 1) ^ (empty & (0 &- (fp & 1)))
        }
        return fp
    }

    static func rabin(_ bytes: some Sequence<UInt8>) -> UInt64 {
        var fp = empty
        for byte in bytes {
            fp = (fp >> 8) ^ table[Int((fp ^ UInt64(byte)) & 0xFF)]
        }
        return fp
    }
}
