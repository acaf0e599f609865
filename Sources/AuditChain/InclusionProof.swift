import Foundation

/// A self-contained proof that one record is in a partition's audit chain: the record's
/// leaf inputs, its audit path, and the signed checkpoint whose root the path leads to.
/// Anyone holding the public key can check it offline (``verify(publicKey:)``).
///
/// JSON form (``jsonData()``, keys sorted, no whitespace):
///
/// ```json
/// {"auditPath":["<hex>",...],
///  "checkpoint":{"coveredOffsetsHash":"<hex>","keyID":"<16 hex>","partition":0,"previousCheckpointHash":"<hex>",
///                "rootHash":"<hex>","signature":"<base64>","timestampMs":0,"topic":"t","treeSize":8},
///  "format":"compliancelog-inclusion-proof/1",
///  "headers":[{"key":"k","value":"<base64>"|null}],
///  "key":"<base64>"|null, "keyFingerprint":"SHA256:<hex>","leafIndex":5,"offset":5,"partition":0,
///  "timestamp":1700000000000,"topic":"t","treeSize":8,"value":"<base64>"|null}
/// ```
///
/// Every field is required (null stands for a null key, value or header value). Hex is
/// lowercase and base64 canonical (padded, no line breaks), both parsed strictly, so that
/// any change to a significant byte makes decoding or verification fail.
public struct InclusionProof: Hashable, Sendable {
    public static let format = "compliancelog-inclusion-proof/1"

    /// The record's leaf inputs (topic, partition, offset, timestamp, key, value, headers).
    public var record: LeafInput
    /// The record's leaf index in the partition's Merkle log.
    public var leafIndex: UInt64
    /// The audit path from the leaf to ``checkpoint``'s root, nearest sibling first.
    public var auditPath: [AuditDigest]
    public var checkpoint: SignedCheckpoint
    /// ``VerifyingKey/fingerprint`` of the signing key.
    public var keyFingerprint: String

    /// The tree size the path is for: the checkpoint's.
    public var treeSize: UInt64 { checkpoint.checkpoint.treeSize }

    public init(record: LeafInput, leafIndex: UInt64, auditPath: [AuditDigest], checkpoint: SignedCheckpoint, keyFingerprint: String) {
        self.record = record
        self.leafIndex = leafIndex
        self.auditPath = auditPath
        self.checkpoint = checkpoint
        self.keyFingerprint = keyFingerprint
    }

    /// Builds the proof of `record` against the latest checkpoint in `auditRecords` (the
    /// partition's `__audit` records, in order).
    ///
    /// - Parameter publicKey: the signer's key, whose fingerprint goes into the proof.
    /// - Throws: ``AuditChainError/notCovered(_:)`` when no checkpoint covers the record's
    ///   offset, ``AuditChainError/malformed(_:)`` when the record does not match its leaf
    ///   (it was altered: no honest proof exists) or the audit records do not chain up.
    public static func make(for record: LeafInput, auditRecords: [AuditRecord], publicKey: VerifyingKey) throws -> InclusionProof {
        var tree = MerkleLog()
        var leafIndex: UInt64?
        for audit in auditRecords {
            guard audit.firstLeafIndex == tree.size else { throw AuditChainError.malformed("audit records: a checkpoint is missing before tree size \(audit.firstLeafIndex)") }
            for entry in audit.entries {
                if entry.offset == record.offset { leafIndex = tree.size }
                tree.append(entry.leafHash)
            }
        }
        guard let latest = auditRecords.last, let leafIndex else {
            throw AuditChainError.notCovered("\(record.topic)/\(record.partition) offset \(record.offset)")
        }
        guard tree.leaf(at: leafIndex) == record.leafHash else {
            throw AuditChainError.malformed("record at offset \(record.offset) does not match its audited leaf")
        }
        let treeSize = latest.checkpoint.checkpoint.treeSize
        guard tree.size == treeSize, try tree.rootHash(atSize: treeSize) == latest.checkpoint.checkpoint.rootHash else {
            throw AuditChainError.malformed("audit records: leaves do not rebuild the latest checkpoint's root")
        }
        let path = try tree.inclusionProof(forLeafAt: leafIndex, treeSize: treeSize)
        return InclusionProof(record: record, leafIndex: leafIndex, auditPath: path, checkpoint: latest.checkpoint, keyFingerprint: publicKey.fingerprint)
    }

    /// Why a proof does not verify.
    public enum Failure: Error, Hashable, Sendable {
        case malformed(String)
        case wrongKey
        case badSignature
        case partitionMismatch
        case pathDoesNotReachRoot
    }

    /// Checks the proof: the fingerprint and the checkpoint's key ID are `publicKey`'s, the
    /// checkpoint's signature verifies, it is of the record's partition, and the audit path
    /// leads from the record's recomputed leaf hash to the signed root.
    public func verify(publicKey: VerifyingKey) throws(Failure) {
        guard keyFingerprint == publicKey.fingerprint, checkpoint.checkpoint.keyID == publicKey.keyID else { throw .wrongKey }
        guard checkpoint.verify(publicKey: publicKey) else { throw .badSignature }
        guard checkpoint.checkpoint.topic == record.topic, checkpoint.checkpoint.partition == record.partition else { throw .partitionMismatch }
        guard MerkleLog.verifyInclusion(leafHash: record.leafHash, leafIndex: leafIndex, treeSize: treeSize, proof: auditPath, rootHash: checkpoint.checkpoint.rootHash) else {
            throw .pathDoesNotReachRoot
        }
    }

    /// Decodes a proof file and verifies it (what `eventctl verify-proof` runs).
    public static func verifyProof(_ json: Data, publicKey: VerifyingKey) throws(Failure) -> InclusionProof {
        let proof: InclusionProof
        do {
            proof = try InclusionProof(json: json)
        } catch {
            throw .malformed("\(error)")
        }
        try proof.verify(publicKey: publicKey)
        return proof
    }

    // MARK: - JSON

    /// The proof file's bytes.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(File(self))
    }

    /// Parses a proof file strictly (see the type's documentation); does not verify it.
    public init(json: Data) throws {
        self = try JSONDecoder().decode(File.self, from: json).proof()
    }

    /// The JSON layout. Optional fields are decoded with `decode(T?.self, …)` so that a
    /// missing key fails instead of reading as null.
    private struct File: Codable {
        struct Header: Codable {
            var key: String
            var value: String?
            init(key: String, value: String?) { self.key = key; self.value = value }
            init(from decoder: any Decoder) throws {
                let c = try decoder.container(keyedBy: CodingKeys.self)
                key = try c.decode(String.self, forKey: .key)
                value = try c.decode(String?.self, forKey: .value)
            }
            func encode(to encoder: any Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(key, forKey: .key)
                try c.encode(value, forKey: .value)
            }
            enum CodingKeys: String, CodingKey { case key, value }
        }
        struct CheckpointFields: Codable {
            var topic: String
            var partition: Int32
            var treeSize: UInt64
            var rootHash: AuditDigest
            var previousCheckpointHash: AuditDigest
            var coveredOffsetsHash: AuditDigest
            var timestampMs: Int64
            var keyID: String
            var signature: String
        }

        var format: String
        var topic: String
        var partition: Int32
        var offset: Int64
        var timestamp: Int64
        var key: String?
        var value: String?
        var headers: [Header]
        var leafIndex: UInt64
        var treeSize: UInt64
        var auditPath: [AuditDigest]
        var checkpoint: CheckpointFields
        var keyFingerprint: String

        enum CodingKeys: String, CodingKey {
            case format, topic, partition, offset, timestamp, key, value, headers, leafIndex, treeSize, auditPath, checkpoint, keyFingerprint
        }

        init(_ proof: InclusionProof) {
            let record = proof.record
            let checkpoint = proof.checkpoint.checkpoint
            format = InclusionProof.format
            topic = record.topic
            partition = record.partition
            offset = record.offset
            timestamp = record.timestamp
            key = record.key.map { Data($0).base64EncodedString() }
            value = record.value.map { Data($0).base64EncodedString() }
            headers = record.headers.map { Header(key: $0.key, value: $0.value.map { Data($0).base64EncodedString() }) }
            leafIndex = proof.leafIndex
            treeSize = proof.treeSize
            auditPath = proof.auditPath
            self.checkpoint = CheckpointFields(
                topic: checkpoint.topic, partition: checkpoint.partition, treeSize: checkpoint.treeSize,
                rootHash: checkpoint.rootHash, previousCheckpointHash: checkpoint.previousCheckpointHash,
                coveredOffsetsHash: checkpoint.coveredOffsetsHash,
                timestampMs: checkpoint.timestampMs, keyID: checkpoint.keyID.hex,
                signature: Data(proof.checkpoint.signature).base64EncodedString())
            keyFingerprint = proof.keyFingerprint
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            format = try c.decode(String.self, forKey: .format)
            topic = try c.decode(String.self, forKey: .topic)
            partition = try c.decode(Int32.self, forKey: .partition)
            offset = try c.decode(Int64.self, forKey: .offset)
            timestamp = try c.decode(Int64.self, forKey: .timestamp)
            key = try c.decode(String?.self, forKey: .key)
            value = try c.decode(String?.self, forKey: .value)
            headers = try c.decode([Header].self, forKey: .headers)
            leafIndex = try c.decode(UInt64.self, forKey: .leafIndex)
            treeSize = try c.decode(UInt64.self, forKey: .treeSize)
            auditPath = try c.decode([AuditDigest].self, forKey: .auditPath)
            checkpoint = try c.decode(CheckpointFields.self, forKey: .checkpoint)
            keyFingerprint = try c.decode(String.self, forKey: .keyFingerprint)
        }

        /// Written by hand so that null key and value appear as explicit `null`s.
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(format, forKey: .format)
            try c.encode(topic, forKey: .topic)
            try c.encode(partition, forKey: .partition)
            try c.encode(offset, forKey: .offset)
            try c.encode(timestamp, forKey: .timestamp)
            try c.encode(key, forKey: .key)
            try c.encode(value, forKey: .value)
            try c.encode(headers, forKey: .headers)
            try c.encode(leafIndex, forKey: .leafIndex)
            try c.encode(treeSize, forKey: .treeSize)
            try c.encode(auditPath, forKey: .auditPath)
            try c.encode(checkpoint, forKey: .checkpoint)
            try c.encode(keyFingerprint, forKey: .keyFingerprint)
        }

        func proof() throws -> InclusionProof {
            guard format == InclusionProof.format else { throw AuditChainError.malformed("proof: unknown format \(format)") }
            guard treeSize == checkpoint.treeSize else { throw AuditChainError.malformed("proof: tree size differs from the checkpoint's") }
            guard let keyID = KeyID(hex: checkpoint.keyID) else { throw AuditChainError.malformed("proof: key ID") }
            let signed = SignedCheckpoint(
                checkpoint: Checkpoint(
                    topic: checkpoint.topic, partition: checkpoint.partition, treeSize: checkpoint.treeSize,
                    rootHash: checkpoint.rootHash, previousCheckpointHash: checkpoint.previousCheckpointHash,
                    coveredOffsetsHash: checkpoint.coveredOffsetsHash,
                    timestampMs: checkpoint.timestampMs, keyID: keyID),
                signature: try Self.base64(checkpoint.signature))
            let record = LeafInput(
                topic: topic, partition: partition, offset: offset, timestamp: timestamp,
                key: try key.map(Self.base64), value: try value.map(Self.base64),
                headers: try headers.map { LeafInput.Header(key: $0.key, value: try $0.value.map(Self.base64)) })
            return InclusionProof(record: record, leafIndex: leafIndex, auditPath: auditPath, checkpoint: signed, keyFingerprint: keyFingerprint)
        }

        /// Strict base64: only the canonical encoding of the decoded bytes is accepted
        /// (Foundation ignores a final character's unused bits, which a changed byte could hit).
        static func base64(_ text: String) throws -> [UInt8] {
            guard let data = Data(base64Encoded: text), data.base64EncodedString() == text else {
                throw AuditChainError.malformed("proof: not canonical base64")
            }
            return Array(data)
        }
    }
}
