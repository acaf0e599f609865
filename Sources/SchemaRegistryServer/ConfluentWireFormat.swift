/// Confluent's serializer framing of record keys and values: magic byte `0`,
/// the schema id as a 4-byte big-endian integer, then the payload (Avro binary
/// or JSON text).
public enum ConfluentWireFormat {
    /// The framing's first byte.
    public static let magicByte: UInt8 = 0

    /// Splits a framed record value into its schema id and payload; `nil` when
    /// the bytes are too short or do not start with the magic byte. Inlinable so that the
    /// broker's per-record call is specialized instead of going through generic metadata.
    @inlinable
    public static func split<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> (schemaID: Int32, payload: Bytes.SubSequence)? {
        guard bytes.count >= 5, bytes.first == magicByte else { return nil }
        var id: UInt32 = 0
        var index = bytes.index(after: bytes.startIndex)
        for _ in 0..<4 {
            id = id << 8 | UInt32(bytes[index])
            index = bytes.index(after: index)
        }
        return (Int32(bitPattern: id), bytes[index...])
    }

    /// Frames `payload` for schema `id` (what a Confluent serializer writes).
    public static func frame(schemaID id: Int32, payload: some Collection<UInt8>) -> [UInt8] {
        let raw = UInt32(bitPattern: id)
        return [magicByte, UInt8(raw >> 24), UInt8(truncatingIfNeeded: raw >> 16), UInt8(truncatingIfNeeded: raw >> 8), UInt8(truncatingIfNeeded: raw)]
            + Array(payload)
    }
}
