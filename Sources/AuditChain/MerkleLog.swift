/// An append-only Merkle tree with RFC 9162 (Certificate Transparency v2) hashing: one per
/// audited partition.
///
/// Leaves are the record leaf hashes of ``LeafHasher``, which already carry RFC 9162's
/// 0x00 leaf prefix (`SHA-256(0x00 || leaf data)`); they are used as they are, never hashed
/// again. Interior nodes are `SHA-256(0x01 || left || right)`, the root of the empty tree is
/// `SHA-256("")`, and a tree of `n > 1` leaves splits at the largest power of two below `n`
/// (RFC 9162 §2.1.1).
///
/// Two storage modes:
/// - **compact** (`storingLeaves: false`): only the "right frontier", the roots of the
///   perfect subtrees that make up the tree (one per set bit of ``size``). Appending costs
///   O(1) amortized hashes and memory is O(log n); enough for the broker to compute roots
///   for checkpoints.
/// - **full** (the default): every level of the tree, about twice the leaves' memory, so
///   that inclusion and consistency proofs (RFC 9162 §2.1.3, §2.1.4) cost O(log n).
public struct MerkleLog: Sendable {
    /// Number of leaves.
    public private(set) var size: UInt64 = 0

    /// Whether leaves (and so proofs) are available.
    public let storesLeaves: Bool

    /// Compact mode only: the perfect-subtree roots, largest (leftmost) first.
    private var compactFrontier: [AuditDigest] = []

    /// Full mode only: `levels[k][i]` is the root of the perfect subtree of `2^k` leaves
    /// starting at leaf `i * 2^k`; `levels[0]` are the leaves.
    private var levels: [[AuditDigest]] = []

    /// The root of the empty tree, `SHA-256("")`.
    public static let emptyRootHash = AuditDigest.sha256([])

    /// An empty tree.
    public init(storingLeaves: Bool = true) {
        storesLeaves = storingLeaves
    }

    /// A full tree holding `leaves`.
    public init(leaves: some Sequence<AuditDigest>) {
        self.init(storingLeaves: true)
        for leaf in leaves { append(leaf) }
    }

    /// Resumes a compact tree from its persisted ``frontier``.
    ///
    /// - Throws: ``AuditChainError/malformed(_:)`` when `frontier` does not hold one hash per
    ///   set bit of `size`.
    public init(size: UInt64, frontier: [AuditDigest]) throws {
        guard frontier.count == size.nonzeroBitCount else {
            throw AuditChainError.malformed("Merkle frontier: \(frontier.count) hashes for tree size \(size)")
        }
        storesLeaves = false
        self.size = size
        compactFrontier = frontier
    }

    /// The compact state: the roots of the perfect subtrees making up the tree, largest
    /// first. With ``size`` it is all that is needed to resume appending (``init(size:frontier:)``).
    public var frontier: [AuditDigest] {
        guard storesLeaves else { return compactFrontier }
        var result: [AuditDigest] = []
        for level in stride(from: levels.count - 1, through: 0, by: -1) where (size >> UInt64(level)) & 1 == 1 {
            result.append(levels[level][Int(size >> UInt64(level)) - 1])
        }
        return result
    }

    /// Appends one leaf hash.
    public mutating func append(_ leafHash: AuditDigest) {
        if storesLeaves {
            if levels.isEmpty { levels.append([]) }
            levels[0].append(leafHash)
            // Each time a level gets an even count its last two nodes complete a parent.
            var level = 0
            while levels[level].count % 2 == 0 {
                let count = levels[level].count
                let parent = Self.nodeHash(levels[level][count - 2], levels[level][count - 1])
                if levels.count == level + 1 { levels.append([]) }
                levels[level + 1].append(parent)
                level += 1
            }
        } else {
            // Binary increment: every trailing 1 bit of the size merges into a carry.
            var carry = leafHash
            var remaining = size
            while remaining & 1 == 1 {
                carry = Self.nodeHash(compactFrontier.removeLast(), carry)
                remaining >>= 1
            }
            compactFrontier.append(carry)
        }
        size += 1
    }

    /// Whether ``append(eight:)`` applies: compact mode at a size that is a multiple of eight.
    public var acceptsEight: Bool { !storesLeaves && size % 8 == 0 }

    /// Appends eight leaf hashes at once (compact mode, ``acceptsEight``): they complete a
    /// perfect subtree whose root is hashed with its lower nodes two at a time
    /// (``SHA256Pair/subtree8(_:)``), then carried into the frontier as one append would.
    public mutating func append(eight leaves: UnsafeBufferPointer<AuditDigest>) {
        precondition(acceptsEight && leaves.count == 8, "eight leaves at a multiple of eight, compact mode")
        var carry = SHA256Pair.subtree8(leaves)
        var remaining = size >> 3
        while remaining & 1 == 1 {
            carry = Self.nodeHash(compactFrontier.removeLast(), carry)
            remaining >>= 1
        }
        compactFrontier.append(carry)
        size += 8
    }

    /// The Merkle tree hash (MTH) of all leaves.
    public var rootHash: AuditDigest {
        let subtrees = frontier
        guard var root = subtrees.last else { return Self.emptyRootHash }
        for subtree in subtrees.dropLast().reversed() {
            root = Self.nodeHash(subtree, root)
        }
        return root
    }

    /// The leaf at `index`, when leaves are stored and `index < size`.
    public func leaf(at index: UInt64) -> AuditDigest? {
        guard storesLeaves, index < size else { return nil }
        return levels[0][Int(index)]
    }

    /// The root hash the tree had when it held its first `treeSize` leaves.
    ///
    /// - Throws: ``AuditChainError/leavesNotStored`` in compact mode (unless `treeSize` is
    ///   the current size), ``AuditChainError/outOfRange(_:)`` beyond ``size``.
    public func rootHash(atSize treeSize: UInt64) throws -> AuditDigest {
        if treeSize == size { return rootHash }
        try requireLeaves(upTo: treeSize)
        return treeSize == 0 ? Self.emptyRootHash : subtreeHash(0, Int(treeSize))
    }

    // MARK: - Hashing primitives

    /// `SHA-256(0x00 || data)`: RFC 9162's leaf hash of arbitrary leaf data (``LeafHasher``
    /// produces these for records).
    public static func leafHash(ofData data: some Collection<UInt8>) -> AuditDigest {
        var hasher = SHA256Context()
        hasher.update(byte: 0x00)
        Array(data).withUnsafeBytes { hasher.update($0) }
        return hasher.finalize()
    }

    /// `SHA-256(0x01 || left || right)`: an interior node.
    public static func nodeHash(_ left: AuditDigest, _ right: AuditDigest) -> AuditDigest {
        if let node = SHA256Pair.node(left, right) { return node }
        // One 65-byte stack buffer, hashed in one call.
        return withUnsafeTemporaryAllocation(byteCount: 1 + 2 * AuditDigest.byteCount, alignment: 1) { buffer in
            buffer[0] = 0x01
            left.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: buffer[1..<33]).copyMemory(from: $0) }
            right.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: buffer[33..<65]).copyMemory(from: $0) }
            return AuditDigest.sha256(bufferPointer: UnsafeRawBufferPointer(buffer))
        }
    }

    // MARK: - Internals shared with the proofs

    func requireLeaves(upTo treeSize: UInt64) throws {
        guard storesLeaves else { throw AuditChainError.leavesNotStored }
        guard treeSize <= size else { throw AuditChainError.outOfRange("tree size \(treeSize) > \(size) leaves") }
    }

    /// MTH of leaves `[low, high)`, `low < high <= size`, where `low` is a multiple of the
    /// largest power of two below `high - low` (true of every range RFC 9162's recursion
    /// visits). Perfect aligned subtrees come straight from `levels`, so this is O(log n).
    func subtreeHash(_ low: Int, _ high: Int) -> AuditDigest {
        let count = high - low
        if count & (count - 1) == 0 {
            let level = count.trailingZeroBitCount
            if low % count == 0 { return levels[level][low >> level] }
        }
        let split = Self.largestPowerOfTwo(below: count)
        return Self.nodeHash(subtreeHash(low, low + split), subtreeHash(low + split, high))
    }

    /// The largest power of two strictly less than `n` (`n >= 2`): RFC 9162's split point `k`.
    static func largestPowerOfTwo(below n: Int) -> Int {
        1 << (Int.bitWidth - 1 - (n - 1).leadingZeroBitCount)
    }
}
