/// A UUID-shaped id derived from a name, so that the same payment or audit event gets the
/// same id when it is produced again (demo runs that resume, records written twice after a crash).
public enum StableUUID {
    public static func make(_ name: String) -> String {
        let high = fnv1a(name, seed: 0xcbf2_9ce4_8422_2325)
        let low = fnv1a(name, seed: 0x8422_2325_cbf2_9ce4)
        let hex = String(high, radix: 16).leftPadded(16) + String(low, radix: 16).leftPadded(16)
        var characters = Array(hex)
        characters[12] = "8"  // a version nibble that is not a random (4) or time (1) UUID
        let text = String(characters)
        let parts = [text.prefix(8), text.dropFirst(8).prefix(4), text.dropFirst(12).prefix(4), text.dropFirst(16).prefix(4), text.dropFirst(20)]
        return parts.joined(separator: "-")
    }

    private static func fnv1a(_ text: String, seed: UInt64) -> UInt64 {
        var hash = seed
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        // FNV alone leaves similar names with similar hashes; SplitMix64's finalizer spreads them.
        hash = (hash ^ (hash >> 30)) &* 0xBF58_476D_1CE4_E5B9
        hash = (hash ^ (hash >> 27)) &* 0x94D0_49BB_1331_11EB
        return hash ^ (hash >> 31)
    }
}

extension String {
    fileprivate func leftPadded(_ length: Int) -> String {
        String(repeating: "0", count: max(0, length - count)) + self
    }
}
