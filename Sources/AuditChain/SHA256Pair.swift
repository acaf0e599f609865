import CSHA256

/// SHA-256 of two independent messages at once, on the CPU's SHA extensions.
///
/// With the SHA extensions one message is bound by the latency of each round, not by the
/// core's throughput; two messages interleaved in one instruction stream cost about 0.6 of
/// two separate hashes (measured on this project's AMD EPYC machines for 100-byte to 1 KiB
/// messages). The audit chain has such pairs everywhere: two records' values, keys and leaf
/// preimages. Without the extensions (or on another architecture) it falls back to two
/// ``SHA256Context`` hashes with the same results.
enum SHA256Pair {
    /// One message: an optional one-byte prefix (the digests' domain separators) followed by
    /// `body`, hashed without being copied together.
    struct Message {
        var prefix: UInt8?
        var body: UnsafeRawBufferPointer
    }

    /// Whether this CPU has the instructions; checked once per process.
    static let accelerated = csha256_available() != 0

    /// `(SHA-256(first), SHA-256(second))`.
    static func hash(_ first: Message, _ second: Message) -> (AuditDigest, AuditDigest) {
        guard accelerated else { return (single(first), single(second)) }
        var firstPrefix = first.prefix ?? 0, secondPrefix = second.prefix ?? 0
        return withUnsafeBytes(of: &firstPrefix) { firstPrefixBytes in
            withUnsafeBytes(of: &secondPrefix) { secondPrefixBytes in
                var a = csha256_message(
                    prefix: firstPrefixBytes.baseAddress?.assumingMemoryBound(to: UInt8.self), prefix_length: first.prefix == nil ? 0 : 1,
                    body: first.body.baseAddress?.assumingMemoryBound(to: UInt8.self), body_length: first.body.count)
                var b = csha256_message(
                    prefix: secondPrefixBytes.baseAddress?.assumingMemoryBound(to: UInt8.self), prefix_length: second.prefix == nil ? 0 : 1,
                    body: second.body.baseAddress?.assumingMemoryBound(to: UInt8.self), body_length: second.body.count)
                var secondDigest = AuditDigest.zero
                let firstDigest = AuditDigest(fill: { firstOut in
                    secondDigest = AuditDigest(fill: { secondOut in
                        csha256_hash2(&a, &b, firstOut.baseAddress!.assumingMemoryBound(to: UInt8.self), secondOut.baseAddress!.assumingMemoryBound(to: UInt8.self))
                    })
                })
                return (firstDigest, secondDigest)
            }
        }
    }

    /// The root of eight consecutive leaves (a perfect subtree of the Merkle log), its six
    /// lower nodes hashed two at a time: what the chain spends on interior nodes falls by
    /// about a third against one node at a time.
    static func subtree8(_ leaves: UnsafeBufferPointer<AuditDigest>) -> AuditDigest {
        precondition(leaves.count == 8, "a subtree of eight leaves")
        guard accelerated else {
            let level1 = (0..<4).map { MerkleLog.nodeHash(leaves[2 * $0], leaves[2 * $0 + 1]) }
            return MerkleLog.nodeHash(MerkleLog.nodeHash(level1[0], level1[1]), MerkleLog.nodeHash(level1[2], level1[3]))
        }
        // A digest's memory is its 32 bytes in order, so eight of them are the 256 bytes wanted.
        return AuditDigest(fill: { out in
            csha256_subtree8(
                UnsafeRawPointer(leaves.baseAddress!).assumingMemoryBound(to: UInt8.self),
                out.baseAddress!.assumingMemoryBound(to: UInt8.self))
        })
    }

    /// One interior node, SHA-256(0x01 || left || right), on the extensions without OpenSSL's
    /// context setup and padding per call; nil without them.
    static func node(_ left: AuditDigest, _ right: AuditDigest) -> AuditDigest? {
        guard accelerated else { return nil }
        return withUnsafeBytes(of: left) { leftBytes in
            withUnsafeBytes(of: right) { rightBytes in
                AuditDigest(fill: { out in
                    csha256_node(
                        leftBytes.baseAddress!.assumingMemoryBound(to: UInt8.self),
                        rightBytes.baseAddress!.assumingMemoryBound(to: UInt8.self),
                        out.baseAddress!.assumingMemoryBound(to: UInt8.self))
                })
            }
        }
    }

    /// One message alone (OpenSSL): the fallback, a lone record's digests, and the reference
    /// the tests compare pairs against.
    static func single(_ message: Message) -> AuditDigest {
        var context = SHA256Context()
        if let prefix = message.prefix { context.update(byte: prefix) }
        context.update(message.body)
        return context.finalize()
    }
}
