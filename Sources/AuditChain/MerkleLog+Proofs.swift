/// Inclusion and consistency proofs, RFC 9162 §2.1.3 and §2.1.4.
extension MerkleLog {
    /// The audit path of leaf `leafIndex` in the tree of the first `treeSize` leaves
    /// (RFC 9162 §2.1.3.1 `PATH(m, D[n])`), nearest sibling first.
    ///
    /// - Throws: ``AuditChainError/leavesNotStored`` in compact mode,
    ///   ``AuditChainError/outOfRange(_:)`` unless `leafIndex < treeSize <= size`.
    public func inclusionProof(forLeafAt leafIndex: UInt64, treeSize: UInt64) throws -> [AuditDigest] {
        try requireLeaves(upTo: treeSize)
        guard leafIndex < treeSize else { throw AuditChainError.outOfRange("leaf \(leafIndex) in a tree of \(treeSize)") }
        var proof: [AuditDigest] = []
        path(Int(leafIndex), 0, Int(treeSize), into: &proof)
        return proof
    }

    /// The consistency proof between the trees of the first `oldSize` and `newSize` leaves
    /// (RFC 9162 §2.1.4.1 `PROOF(m, D[n])`); empty when `oldSize` is 0 or equals `newSize`.
    ///
    /// - Throws: ``AuditChainError/leavesNotStored`` in compact mode,
    ///   ``AuditChainError/outOfRange(_:)`` unless `oldSize <= newSize <= size`.
    public func consistencyProof(from oldSize: UInt64, to newSize: UInt64) throws -> [AuditDigest] {
        try requireLeaves(upTo: newSize)
        guard oldSize <= newSize else { throw AuditChainError.outOfRange("consistency from \(oldSize) to the smaller \(newSize)") }
        var proof: [AuditDigest] = []
        if oldSize > 0 && oldSize < newSize {
            subproof(Int(oldSize), 0, Int(newSize), startsAtOldRoot: true, into: &proof)
        }
        return proof
    }

    /// `PATH(m, D[low:high])`.
    private func path(_ m: Int, _ low: Int, _ high: Int, into proof: inout [AuditDigest]) {
        let n = high - low
        guard n > 1 else { return }
        let k = Self.largestPowerOfTwo(below: n)
        if m < k {
            path(m, low, low + k, into: &proof)
            proof.append(subtreeHash(low + k, high))
        } else {
            path(m - k, low + k, high, into: &proof)
            proof.append(subtreeHash(low, low + k))
        }
    }

    /// `SUBPROOF(m, D[low:high], b)`.
    private func subproof(_ m: Int, _ low: Int, _ high: Int, startsAtOldRoot: Bool, into proof: inout [AuditDigest]) {
        let n = high - low
        if m == n {
            // The old tree is this whole subtree: the verifier knows its hash only when it is
            // the old root itself.
            if !startsAtOldRoot { proof.append(subtreeHash(low, high)) }
            return
        }
        let k = Self.largestPowerOfTwo(below: n)
        if m <= k {
            subproof(m, low, low + k, startsAtOldRoot: startsAtOldRoot, into: &proof)
            proof.append(subtreeHash(low + k, high))
        } else {
            subproof(m - k, low + k, high, startsAtOldRoot: false, into: &proof)
            proof.append(subtreeHash(low, low + k))
        }
    }

    /// Verifies an audit path (RFC 9162 §2.1.3.2). Every element of `proof` feeds the
    /// recomputed root, and a proof with elements left over or missing fails.
    public static func verifyInclusion(leafHash: AuditDigest, leafIndex: UInt64, treeSize: UInt64, proof: [AuditDigest], rootHash: AuditDigest) -> Bool {
        guard leafIndex < treeSize else { return false }
        var fn = leafIndex
        var sn = treeSize - 1
        var r = leafHash
        for p in proof {
            guard sn != 0 else { return false }  // more elements than the tree has levels
            if fn & 1 == 1 || fn == sn {
                r = nodeHash(p, r)
                if fn & 1 == 0 {
                    // A right-edge node with no sibling at these levels: climb until it has one.
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                r = nodeHash(r, p)
            }
            fn >>= 1
            sn >>= 1
        }
        return sn == 0 && r == rootHash
    }

    /// Verifies a consistency proof (RFC 9162 §2.1.4.2): both the old and the new root are
    /// recomputed from the proof, so every element is checked.
    ///
    /// Degenerate cases: equal sizes need an empty proof and equal roots; an old size of 0
    /// needs an empty proof and the empty-tree old root (anything is consistent with it).
    public static func verifyConsistency(oldSize: UInt64, newSize: UInt64, oldRoot: AuditDigest, newRoot: AuditDigest, proof: [AuditDigest]) -> Bool {
        guard oldSize <= newSize else { return false }
        if oldSize == newSize { return proof.isEmpty && oldRoot == newRoot }
        if oldSize == 0 { return proof.isEmpty && oldRoot == emptyRootHash }
        guard !proof.isEmpty else { return false }

        var path = proof[...]
        // When the old tree is a perfect subtree its root is the proof's implicit first element.
        let start: AuditDigest
        if oldSize & (oldSize - 1) == 0 {
            start = oldRoot
        } else {
            start = path.removeFirst()
        }
        var fn = oldSize - 1
        var sn = newSize - 1
        while fn & 1 == 1 {
            fn >>= 1
            sn >>= 1
        }
        var fr = start
        var sr = start
        for c in path {
            guard sn != 0 else { return false }
            if fn & 1 == 1 || fn == sn {
                fr = nodeHash(c, fr)
                sr = nodeHash(c, sr)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                sr = nodeHash(sr, c)
            }
            fn >>= 1
            sn >>= 1
        }
        return sn == 0 && fr == oldRoot && sr == newRoot
    }
}
