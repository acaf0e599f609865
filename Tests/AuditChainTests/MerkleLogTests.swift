import AuditChain
import Testing

/// RFC 6962 / 9162 known answers (the Certificate Transparency and Trillian reference tree).
@Suite struct MerkleLogTests {
    static let leafData: [[UInt8]] = [
        [], [0x00], [0x10], [0x20, 0x21], [0x30, 0x31], [0x40, 0x41, 0x42, 0x43],
        [0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57],
        [0x60, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f],
    ]
    static let leaves = leafData.map { MerkleLog.leafHash(ofData: $0) }
    /// Roots of the trees of the first 0...8 leaves.
    static let roots = [
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ].map(hex)

    static let inclusionVectors: [(index: UInt64, size: UInt64, path: [String])] = [
        (0, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
        (5, 8, ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
        (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
        (1, 5, ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
        (0, 1, []),
    ]

    static let consistencyVectors: [(old: UInt64, new: UInt64, proof: [String])] = [
        (1, 1, []),
        (1, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
        (6, 8, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
        (2, 5, ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
    ]

    @Test func knownRoots() throws {
        var full = MerkleLog()
        var compact = MerkleLog(storingLeaves: false)
        #expect(full.rootHash == Self.roots[0])
        #expect(MerkleLog.emptyRootHash == Self.roots[0])
        for (n, leaf) in Self.leaves.enumerated() {
            full.append(leaf)
            compact.append(leaf)
            #expect(full.rootHash == Self.roots[n + 1], "size \(n + 1)")
            #expect(compact.rootHash == Self.roots[n + 1], "compact size \(n + 1)")
        }
        for size in 0...8 {
            #expect(try full.rootHash(atSize: UInt64(size)) == Self.roots[size])
        }
    }

    @Test func knownInclusionProofs() throws {
        let tree = MerkleLog(leaves: Self.leaves)
        for vector in Self.inclusionVectors {
            let proof = try tree.inclusionProof(forLeafAt: vector.index, treeSize: vector.size)
            #expect(proof == vector.path.map(hex), "leaf \(vector.index) of \(vector.size)")
            #expect(MerkleLog.verifyInclusion(leafHash: Self.leaves[Int(vector.index)], leafIndex: vector.index, treeSize: vector.size, proof: proof, rootHash: Self.roots[Int(vector.size)]))
        }
    }

    @Test func knownConsistencyProofs() throws {
        let tree = MerkleLog(leaves: Self.leaves)
        for vector in Self.consistencyVectors {
            let proof = try tree.consistencyProof(from: vector.old, to: vector.new)
            #expect(proof == vector.proof.map(hex), "\(vector.old) -> \(vector.new)")
            #expect(MerkleLog.verifyConsistency(oldSize: vector.old, newSize: vector.new, oldRoot: Self.roots[Int(vector.old)], newRoot: Self.roots[Int(vector.new)], proof: proof))
        }
    }

    /// Every inclusion proof in every tree of 1...64 leaves verifies, and each single-element
    /// change (a flipped bit in any element, a dropped, added or swapped element, a wrong
    /// index, size or root) fails: every element is checked, not just the ends.
    @Test func exhaustiveInclusion() throws {
        let leaves = (0..<64).map { MerkleLog.leafHash(ofData: [UInt8(truncatingIfNeeded: $0), 0xA5]) }
        let tree = MerkleLog(leaves: leaves)
        let bogus = MerkleLog.leafHash(ofData: [0xFF])
        for size in UInt64(1)...64 {
            let root = try tree.rootHash(atSize: size)
            for index in 0..<size {
                let leaf = leaves[Int(index)]
                let proof = try tree.inclusionProof(forLeafAt: index, treeSize: size)
                #expect(MerkleLog.verifyInclusion(leafHash: leaf, leafIndex: index, treeSize: size, proof: proof, rootHash: root))
                for position in proof.indices {
                    var tampered = proof
                    tampered[position] = flipBit(tampered[position], bit: position * 7 + Int(index))
                    #expect(!MerkleLog.verifyInclusion(leafHash: leaf, leafIndex: index, treeSize: size, proof: tampered, rootHash: root), "flip \(position) of leaf \(index)/\(size)")
                    var dropped = proof
                    dropped.remove(at: position)
                    #expect(!MerkleLog.verifyInclusion(leafHash: leaf, leafIndex: index, treeSize: size, proof: dropped, rootHash: root))
                    if position > 0, proof[position] != proof[position - 1] {
                        var swapped = proof
                        swapped.swapAt(position, position - 1)
                        #expect(!MerkleLog.verifyInclusion(leafHash: leaf, leafIndex: index, treeSize: size, proof: swapped, rootHash: root))
                    }
                }
                #expect(!MerkleLog.verifyInclusion(leafHash: leaf, leafIndex: index, treeSize: size, proof: proof + [bogus], rootHash: root))
                #expect(!MerkleLog.verifyInclusion(leafHash: bogus, leafIndex: index, treeSize: size, proof: proof, rootHash: root))
                #expect(!MerkleLog.verifyInclusion(leafHash: leaf, leafIndex: index, treeSize: size, proof: proof, rootHash: bogus))
                #expect(!MerkleLog.verifyInclusion(leafHash: leaf, leafIndex: size, treeSize: size, proof: proof, rootHash: root))
                if size > 1 {
                    let other = (index + 1) % size
                    #expect(!MerkleLog.verifyInclusion(leafHash: leaf, leafIndex: other, treeSize: size, proof: proof, rootHash: root))
                }
            }
        }
    }

    /// Every consistency proof between sizes 1...64 verifies; every single-element change fails.
    @Test func exhaustiveConsistency() throws {
        let leaves = (0..<64).map { MerkleLog.leafHash(ofData: [UInt8(truncatingIfNeeded: $0), 0x5A]) }
        let tree = MerkleLog(leaves: leaves)
        let roots = try (0...64).map { try tree.rootHash(atSize: UInt64($0)) }
        let bogus = MerkleLog.leafHash(ofData: [0xFE])
        for new in UInt64(1)...64 {
            for old in UInt64(0)...new {
                let oldRoot = roots[Int(old)], newRoot = roots[Int(new)]
                let proof = try tree.consistencyProof(from: old, to: new)
                #expect(MerkleLog.verifyConsistency(oldSize: old, newSize: new, oldRoot: oldRoot, newRoot: newRoot, proof: proof), "\(old) -> \(new)")
                for position in proof.indices {
                    var tampered = proof
                    tampered[position] = flipBit(tampered[position], bit: position * 5 + Int(old))
                    #expect(!MerkleLog.verifyConsistency(oldSize: old, newSize: new, oldRoot: oldRoot, newRoot: newRoot, proof: tampered), "flip \(position) of \(old) -> \(new)")
                    var dropped = proof
                    dropped.remove(at: position)
                    #expect(!MerkleLog.verifyConsistency(oldSize: old, newSize: new, oldRoot: oldRoot, newRoot: newRoot, proof: dropped))
                    if position > 0, proof[position] != proof[position - 1] {
                        var swapped = proof
                        swapped.swapAt(position, position - 1)
                        #expect(!MerkleLog.verifyConsistency(oldSize: old, newSize: new, oldRoot: oldRoot, newRoot: newRoot, proof: swapped))
                    }
                }
                #expect(!MerkleLog.verifyConsistency(oldSize: old, newSize: new, oldRoot: oldRoot, newRoot: newRoot, proof: proof + [bogus]))
                #expect(!MerkleLog.verifyConsistency(oldSize: old, newSize: new, oldRoot: bogus, newRoot: newRoot, proof: proof))
                if old > 0 && old < new {  // everything is consistent with the empty tree
                    #expect(!MerkleLog.verifyConsistency(oldSize: old, newSize: new, oldRoot: oldRoot, newRoot: bogus, proof: proof))
                }
            }
        }
    }

    /// Eight leaves appended at once (their subtree hashed with node pairs side by side) give
    /// the reference tree's root, and the same roots and frontiers as one at a time from any
    /// multiple of eight.
    @Test func eightAtOnceEqualsOneAtATime() throws {
        var compact = MerkleLog(storingLeaves: false)
        #expect(compact.acceptsEight)
        Self.leaves.withUnsafeBufferPointer { compact.append(eight: $0) }
        #expect(compact.rootHash == Self.roots[8])
        #expect(!MerkleLog().acceptsEight, "full trees store every level")

        var single = MerkleLog(storingLeaves: false)
        var grouped = MerkleLog(storingLeaves: false)
        var leaf = 0
        for round in 0..<40 {
            // A few single leaves that bring the size back to a multiple of eight, then groups.
            let singles = round % 3 == 0 ? 8 : 0
            for _ in 0..<singles {
                let hash = MerkleLog.leafHash(ofData: [UInt8(leaf % 256), UInt8(leaf / 256)])
                single.append(hash)
                grouped.append(hash)
                leaf += 1
            }
            let hashes = (0..<8).map { MerkleLog.leafHash(ofData: [UInt8((leaf + $0) % 256), UInt8((leaf + $0) / 256)]) }
            leaf += 8
            for hash in hashes { single.append(hash) }
            #expect(grouped.acceptsEight)
            hashes.withUnsafeBufferPointer { grouped.append(eight: $0) }
            #expect(grouped.size == single.size)
            #expect(grouped.frontier == single.frontier, "size \(single.size)")
            #expect(grouped.rootHash == single.rootHash)
        }
        single.append(Self.leaves[0])
        #expect(!single.acceptsEight)
    }

    @Test func compactStateResumes() throws {
        var full = MerkleLog()
        for i in 0..<100 {
            let leaf = MerkleLog.leafHash(ofData: [UInt8(i)])
            var resumed = try MerkleLog(size: full.size, frontier: full.frontier)
            full.append(leaf)
            resumed.append(leaf)
            #expect(resumed.rootHash == full.rootHash)
            #expect(resumed.frontier == full.frontier)
            #expect(resumed.frontier.count <= 7)
        }
        #expect(throws: AuditChainError.self) { try MerkleLog(size: 3, frontier: []) }
        let compact = MerkleLog(storingLeaves: false)
        #expect(throws: AuditChainError.leavesNotStored) { try compact.inclusionProof(forLeafAt: 0, treeSize: 0) }
    }
}

func flipBit(_ digest: AuditDigest, bit: Int) -> AuditDigest {
    var bytes = digest.bytes
    bytes[(bit / 8) % 32] ^= UInt8(1 << (bit % 8))
    return AuditDigest(bytes: bytes)!
}
