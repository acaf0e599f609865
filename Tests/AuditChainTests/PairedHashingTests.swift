@testable import AuditChain
import Foundation
import KafkaProtocol
import NIOCore
import Testing

/// Two-at-a-time hashing (``SHA256Pair``, ``LeafHasher/forEachLeaf(of:baseOffset:maxDecompressedSize:_:)``)
/// must give exactly the digests of hashing one message or record at a time.
@Suite struct PairedHashingTests {
    @Test func pairsMatchSingleHashesForEveryLengthAndPrefix() {
        var generator = SeededGenerator(seed: 9162)
        let bytes = (0..<1200).map { _ in UInt8.random(in: 0...255, using: &generator) }
        bytes.withUnsafeBytes { all in
            // Lengths around every padding boundary (55/56/64 bytes), with and without a prefix,
            // and pairs of unequal lengths (the longer one's tail is hashed alone).
            for firstLength in 0...200 {
                for secondLength in [0, 1, 54, 55, 56, 63, 64, 65, 119, 120, 128, firstLength, 1100] {
                    for (firstPrefix, secondPrefix) in [(nil, nil), (UInt8(0x01), UInt8(0x01)), (0x00, nil)] as [(UInt8?, UInt8?)] {
                        let first = SHA256Pair.Message(prefix: firstPrefix, body: UnsafeRawBufferPointer(rebasing: all[3..<3 + firstLength]))
                        let second = SHA256Pair.Message(prefix: secondPrefix, body: UnsafeRawBufferPointer(rebasing: all[90..<90 + secondLength]))
                        let (a, b) = SHA256Pair.hash(first, second)
                        #expect(a == SHA256Pair.single(first), "first of \(firstLength)+\(secondLength) bytes")
                        #expect(b == SHA256Pair.single(second), "second of \(firstLength)+\(secondLength) bytes")
                    }
                }
            }
        }
    }

    @Test func knownDigests() {
        // FIPS 180-4's examples: "abc" and the 448-bit two-block message.
        let abc = Array("abc".utf8)
        let twoBlocks = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
        let (a, b) = abc.withUnsafeBytes { abcBytes in
            twoBlocks.withUnsafeBytes { twoBlockBytes in
                SHA256Pair.hash(SHA256Pair.Message(prefix: nil, body: abcBytes), SHA256Pair.Message(prefix: nil, body: twoBlockBytes))
            }
        }
        #expect(a.hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(b.hex == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    /// On a CPU with the SHA extensions the pair path must really be the accelerated one.
    @Test func acceleratedWhereTheCPUHasTheExtensions() throws {
        #if arch(x86_64) && os(Linux)
        let cpuinfo = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
        let flags = cpuinfo.split(separator: "\n").first { $0.hasPrefix("flags") } ?? ""
        let hasExtensions = flags.split(separator: " ").contains("sha_ni") && flags.split(separator: " ").contains("sse4_1")
        #expect(SHA256Pair.accelerated == hasExtensions)
        #endif
    }

    @Test func batchLeavesMatchOneRecordAtATime() throws {
        var generator = SeededGenerator(seed: 6962)
        for count in 1...9 {
            for codec in [CompressionCodec.none, .gzip] {
                let batch = try RecordBatch(bytes: randomBatch(count: count, codec: codec, using: &generator))
                var hasher = LeafHasher(topic: "payments", partition: 7)
                var paired: [AuditRecord.Entry] = []
                try hasher.forEachLeaf(of: batch, baseOffset: 1_000, maxDecompressedSize: 1 << 20) { offset, leaf in
                    paired.append(AuditRecord.Entry(offset: offset, leafHash: leaf))
                }
                #expect(paired == (try singleLeaves(batch, baseOffset: 1_000)).leaves, "\(count) records, \(codec)")
                #expect(paired.map(\.offset) == (0..<count).map { 1_000 + Int64($0) })
            }
        }
    }

    /// A batch that stops parsing (here: it declares one record more than it holds) still
    /// yields the leaf of every record before the bad one, whether or not that record was
    /// waiting for a partner, and then the walk's error.
    @Test func recordsBeforeAParseErrorStillGetTheirLeaves() throws {
        var generator = SeededGenerator(seed: 19)
        for count in 1...6 {
            var bytes = try randomBatch(count: count, codec: .none, using: &generator)
            bytes.setInteger(Int32(count + 1), at: 57)  // recordCount
            let batch = try RecordBatch(bytes: bytes, verifyCRC: false)
            var hasher = LeafHasher(topic: "payments", partition: 7)
            var paired: [AuditRecord.Entry] = []
            #expect(throws: KafkaDecodingError.self) {
                try hasher.forEachLeaf(of: batch, maxDecompressedSize: 1 << 20) { offset, leaf in
                    paired.append(AuditRecord.Entry(offset: offset, leafHash: leaf))
                }
            }
            let reference = try singleLeaves(batch, baseOffset: nil)
            #expect(reference.failed)
            #expect(paired == reference.leaves)
            #expect(paired.count == count)
        }
    }

    @Test func errorsOfTheBodyPassThroughUnchanged() throws {
        struct Stop: Error {}
        var generator = SeededGenerator(seed: 5)
        let batch = try RecordBatch(bytes: randomBatch(count: 6, codec: .none, using: &generator))
        var hasher = LeafHasher(topic: "payments", partition: 7)
        var calls = 0
        #expect(throws: Stop.self) {
            try hasher.forEachLeaf(of: batch, maxDecompressedSize: 1 << 20) { _, _ in
                calls += 1
                if calls == 3 { throw Stop() }
            }
        }
        #expect(calls == 3)
    }

    /// A batch's leaves hashed apart and then appended (the broker's path) make the same
    /// checkpoints (at exactly N records, inside a batch too) as appending record by record.
    @Test func chainerBatchAppendEqualsRecordAppends() throws {
        var generator = SeededGenerator(seed: 77)
        let key = try SigningKey(seed: Array(repeating: 7, count: 32))
        var batched = PartitionChainer(topic: "payments", partition: 0)
        var single = PartitionChainer(topic: "payments", partition: 0)
        var batchedRecords: [AuditRecord] = []
        var singleRecords: [AuditRecord] = []
        var offset: Int64 = 0
        for count in [3, 1, 8, 5, 2, 7] {
            let batch = try RecordBatch(bytes: randomBatch(count: count, codec: .none, using: &generator))
            var hasher = LeafHasher(topic: "payments", partition: 0)
            let leaves = try hasher.leaves(of: batch, baseOffset: offset, maxDecompressedSize: 1 << 20)
            #expect(leaves.map(\.offset) == Array(offset..<offset + Int64(count)))
            batchedRecords += try batched.append(leaves: leaves, checkpointEvery: 4, timestampMs: 1, signingKey: key)
            try batch.forEachRecordView(baseOffset: offset, maxDecompressedSize: 1 << 20) { record in
                try single.append(record)
                if single.pendingCount >= 4 { singleRecords.append(try single.makeCheckpoint(timestampMs: 1, signingKey: key)) }
            }
            offset += Int64(count)
        }
        #expect(batchedRecords.count == 26 / 4)
        #expect(batchedRecords.map(\.encodedValue) == singleRecords.map(\.encodedValue))
        #expect(batched.treeSize == 26)
        #expect(try batched.makeCheckpoint(timestampMs: 2, signingKey: key).encodedValue == (try single.makeCheckpoint(timestampMs: 2, signingKey: key)).encodedValue)
    }

    /// Interior nodes on the extensions equal OpenSSL's SHA-256(0x01 || left || right), alone
    /// and as the eight-leaf subtree's seven nodes.
    @Test func nodesMatchOpenSSL() {
        var generator = SeededGenerator(seed: 11)
        func random() -> AuditDigest { AuditDigest(bytes: (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })! }
        func reference(_ left: AuditDigest, _ right: AuditDigest) -> AuditDigest { .sha256([0x01] + left.bytes + right.bytes) }
        for _ in 0..<50 {
            let (left, right) = (random(), random())
            #expect(MerkleLog.nodeHash(left, right) == reference(left, right))
            let leaves = (0..<8).map { _ in random() }
            let level1 = (0..<4).map { reference(leaves[2 * $0], leaves[2 * $0 + 1]) }
            let root = reference(reference(level1[0], level1[1]), reference(level1[2], level1[3]))
            #expect(leaves.withUnsafeBufferPointer { SHA256Pair.subtree8($0) } == root)
        }
    }

    /// Leaves appended eight at a time where they can be (whole subtrees, no checkpoint among
    /// them) make the same `__audit` records as one at a time, with checkpoints cut inside
    /// batches and batches of every length; a bad offset inside a group still adds exactly the
    /// leaves before it.
    @Test func groupedLeavesMakeTheSameCheckpoints() throws {
        let key = try SigningKey(seed: Array(repeating: 9, count: 32))
        var grouped = PartitionChainer(topic: "payments", partition: 3)
        var single = PartitionChainer(topic: "payments", partition: 3)
        var groupedRecords: [AuditRecord] = []
        var singleRecords: [AuditRecord] = []
        var offset: Int64 = 0
        for count in [5, 64, 3, 100, 8, 17, 250, 1, 31] {
            let leaves = (0..<count).map { index in
                AuditRecord.Entry(offset: offset + Int64(index), leafHash: MerkleLog.leafHash(ofData: [UInt8(index % 256), UInt8(count)]))
            }
            offset += Int64(count)
            groupedRecords += try grouped.append(leaves: leaves, checkpointEvery: 37, timestampMs: 1, signingKey: key)
            for leaf in leaves {
                try single.append(leafHash: leaf.leafHash, offset: leaf.offset)
                if let made = try single.checkpointIfDue(every: 37, timestampMs: 1, signingKey: key) { singleRecords.append(made) }
            }
        }
        #expect(groupedRecords.count == 479 / 37)
        #expect(groupedRecords.map(\.encodedValue) == singleRecords.map(\.encodedValue))

        var bad = (0..<16).map { AuditRecord.Entry(offset: offset + Int64($0), leafHash: .zero) }
        bad[5].offset = bad[4].offset
        #expect(throws: AuditChainError.self) {
            _ = try grouped.append(leaves: bad, checkpointEvery: 1_000, timestampMs: 1, signingKey: key)
        }
        #expect(grouped.treeSize == 479 + 5)
    }

    // MARK: - Helpers    // MARK: - Helpers

    /// Records with every shape of key, value and headers: null, empty, short, and long
    /// enough for several SHA-256 blocks.
    private func randomBatch(count: Int, codec: CompressionCodec, using generator: inout SeededGenerator) throws -> ByteBuffer {
        func field() -> ByteBuffer? {
            switch Int.random(in: 0..<5, using: &generator) {
            case 0: return nil
            case 1: return ByteBuffer()
            default:
                let length = [1, 55, 56, 64, 100, 1024, 3000][Int.random(in: 0..<7, using: &generator)]
                return ByteBuffer(bytes: (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) })
            }
        }
        var builder = RecordBatchBuilder(baseOffset: 0, compression: codec)
        for index in 0..<count {
            let headers = Bool.random(using: &generator) ? [] : [RecordHeader(key: "h\(index)", value: field())]
            builder.append(key: field(), value: field(), headers: headers, timestamp: 1_700_000_000_000 + Int64(index))
        }
        return try builder.build()
    }

    /// The reference: one ``LeafHasher/leafHash(of:)-(RecordView)`` per record, up to the
    /// first that does not parse.
    private func singleLeaves(_ batch: RecordBatch, baseOffset: Int64?) throws -> (leaves: [AuditRecord.Entry], failed: Bool) {
        var hasher = LeafHasher(topic: "payments", partition: 7)
        var leaves: [AuditRecord.Entry] = []
        do {
            try batch.forEachRecordView(baseOffset: baseOffset, maxDecompressedSize: 1 << 20) { record in
                leaves.append(AuditRecord.Entry(offset: record.offset, leafHash: hasher.leafHash(of: record)))
            }
            return (leaves, false)
        } catch {
            return (leaves, true)
        }
    }
}
