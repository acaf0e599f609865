import AuditChain
import Foundation
import NIOCore
import Testing

@Suite struct CheckpointTests {
    static func sample(key: SigningKey) -> Checkpoint {
        Checkpoint(
            topic: "payment-transactions", partition: 7, treeSize: 1234,
            rootHash: MerkleLog.leafHash(ofData: [1]), previousCheckpointHash: MerkleLog.leafHash(ofData: [2]),
            coveredOffsetsHash: MerkleLog.leafHash(ofData: [3]),
            timestampMs: 1_700_000_000_123, keyID: key.keyID)
    }

    @Test func encodingIsDocumentedLayout() throws {
        let key = try SigningKey(seed: [UInt8](repeating: 7, count: 32))
        let checkpoint = Self.sample(key: key)
        let bytes = checkpoint.encoded
        #expect(Array(bytes.prefix(5)) == Array("CLCP".utf8) + [1])
        #expect(bytes.count == 4 + 1 + 2 + 20 + 4 + 8 + 32 + 32 + 32 + 8 + 8)
        #expect(try Checkpoint(decoding: bytes) == checkpoint)
        #expect(throws: AuditChainError.self) { try Checkpoint(decoding: bytes + [0]) }
        #expect(throws: AuditChainError.self) { try Checkpoint(decoding: bytes.dropLast()) }
        var badVersion = bytes
        badVersion[4] = 2
        #expect(throws: AuditChainError.self) { try Checkpoint(decoding: badVersion) }
    }

    @Test func signAndVerify() throws {
        let key = SigningKey.generate()
        let signed = try Self.sample(key: key).sign(with: key)
        #expect(signed.signature.count == 64)
        #expect(signed.verify(publicKey: key.verifyingKey))

        // Any changed signature byte fails.
        for index in signed.signature.indices {
            var tampered = signed
            tampered.signature[index] ^= 0x01
            #expect(!tampered.verify(publicKey: key.verifyingKey))
        }
        // Any changed byte of the signed encoding fails (or no longer decodes).
        let bytes = signed.checkpoint.encoded
        for index in bytes.indices {
            var changed = bytes
            changed[index] ^= 0x01
            guard let decoded = try? Checkpoint(decoding: changed) else { continue }
            #expect(!SignedCheckpoint(checkpoint: decoded, signature: signed.signature).verify(publicKey: key.verifyingKey), "byte \(index)")
        }
        // Field changes fail.
        var fieldChanged = signed
        fieldChanged.checkpoint.treeSize += 1
        #expect(!fieldChanged.verify(publicKey: key.verifyingKey))
        fieldChanged = signed
        fieldChanged.checkpoint.timestampMs -= 1
        #expect(!fieldChanged.verify(publicKey: key.verifyingKey))

        // Another key fails, whether the checkpoint names it or not.
        let other = SigningKey.generate()
        #expect(!signed.verify(publicKey: other.verifyingKey))
        let signedByOther = try Self.sample(key: key).sign(with: other)
        #expect(!signedByOther.verify(publicKey: key.verifyingKey))
        let honestOther = try Self.sample(key: other).sign(with: other)
        #expect(honestOther.verify(publicKey: other.verifyingKey))
        #expect(!honestOther.verify(publicKey: key.verifyingKey))
    }

    /// The covered-offsets hash is SHA-256 of the offsets as i64 big-endian, at every count
    /// around its 512-offset buffer.
    @Test func offsetsHashIsDocumented() {
        for count in [0, 1, 511, 512, 513, 1_500] {
            let entries = (0..<count).map { AuditRecord.Entry(offset: Int64($0) * 3 - 7, leafHash: .zero) }
            var bytes: [UInt8] = []
            for entry in entries { withUnsafeBytes(of: entry.offset.bigEndian) { bytes += $0 } }
            #expect(Checkpoint.offsetsHash(of: entries) == AuditDigest.sha256(bytes), "\(count) offsets")
        }
    }

    @Test func auditRecordRoundTrip() throws {
        let key = SigningKey.generate()
        var chainer = PartitionChainer(topic: "t", partition: 2)
        for offset in [Int64(0), 1, 5, 6] {
            try chainer.append(LeafInput(topic: "t", partition: 2, offset: offset, timestamp: 10, key: [1], value: [2]))
        }
        let first = try chainer.makeCheckpoint(timestampMs: 100, signingKey: key)
        #expect(first.key == "t/2")
        #expect(AuditRecord.parseKey(first.key)?.topic == "t")
        #expect(AuditRecord.parseKey(first.key)?.partition == 2)
        #expect(first.entries.map(\.offset) == [0, 1, 5, 6])
        #expect(first.firstLeafIndex == 0)
        #expect(first.checkpoint.checkpoint.previousCheckpointHash == .zero)
        let decoded = try AuditRecord(decodingValue: first.encodedValue)
        #expect(decoded == first)
        // The documented layout: each entry is its offset (i64, big-endian) then its leaf hash,
        // after the 4-byte entry count; the frontier follows.
        var value = first.encodedValue
        let checkpointLength = Int(value.getInteger(at: 5, endianness: .big, as: UInt32.self)!)
        let entriesStart = 4 + 1 + 4 + checkpointLength + 64 + 8 + 4
        var expectedEntries: [UInt8] = []
        for entry in first.entries {
            withUnsafeBytes(of: entry.offset.bigEndian) { expectedEntries += $0 }
            entry.leafHash.withUnsafeBytes { expectedEntries += $0 }
        }
        #expect(value.getBytes(at: entriesStart, length: 40 * first.entries.count) == expectedEntries)
        value.moveReaderIndex(to: entriesStart + 40 * first.entries.count)
        #expect(value.readInteger(as: UInt8.self) == UInt8(first.frontier.count))

        // Resuming from the last record continues the same chain.
        var resumed = try PartitionChainer(resumingFrom: decoded)
        try chainer.append(LeafInput(topic: "t", partition: 2, offset: 9, timestamp: 11, key: nil, value: [3]))
        try resumed.append(LeafInput(topic: "t", partition: 2, offset: 9, timestamp: 11, key: nil, value: [3]))
        let second = try chainer.makeCheckpoint(timestampMs: 200, signingKey: key)
        let secondResumed = try resumed.makeCheckpoint(timestampMs: 200, signingKey: key)
        #expect(second.checkpoint.checkpoint == secondResumed.checkpoint.checkpoint)
        #expect(second.checkpoint.checkpoint.previousCheckpointHash == first.checkpoint.checkpoint.hash)
        #expect(second.firstLeafIndex == 4)
        #expect(throws: AuditChainError.self) { try resumed.append(leafHash: .zero, offset: 9) }

        var truncated = first.encodedValue
        truncated.moveWriterIndex(to: truncated.writerIndex - 1)
        #expect(throws: AuditChainError.self) { try AuditRecord(decodingValue: truncated) }
    }

    @Test func keyFiles() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("auditchain-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("signing.key").path

        let created = try SigningKey.loadOrCreate(at: path)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let contents = try String(contentsOfFile: path, encoding: .utf8)
        #expect(contents.count == 65 && contents.hasSuffix("\n"))

        let loaded = try SigningKey.loadOrCreate(at: path)
        #expect(loaded.verifyingKey == created.verifyingKey)
        let publicKey = try VerifyingKey.load(from: path + ".pub")
        #expect(publicKey == created.verifyingKey)
        #expect(publicKey.fingerprint.hasPrefix("SHA256:" + publicKey.keyID.hex))
        print("signing key fingerprint: \(publicKey.fingerprint) (key ID \(publicKey.keyID))")

        // Raw 32-byte seed files are accepted too.
        let rawPath = directory.appendingPathComponent("raw.key").path
        _ = FileManager.default.createFile(atPath: rawPath, contents: Data(repeating: 9, count: 32))
        #expect(try SigningKey.load(from: rawPath).verifyingKey == SigningKey(seed: [UInt8](repeating: 9, count: 32)).verifyingKey)
        _ = FileManager.default.createFile(atPath: rawPath, contents: Data("not a key".utf8))
        #expect(throws: AuditChainError.self) { try SigningKey.load(from: rawPath) }
    }
}
