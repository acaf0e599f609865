import AuditChain
import Foundation
import NIOCore
import Testing

@Suite struct InclusionProofTests {
    static func makeProof(offset: Int) throws -> (InclusionProof, AuditedPartition) {
        let partition = try AuditedPartition(count: 37, every: 9)
        let audit = try partition.auditValues.map { try AuditRecord(decodingValue: $0) }
        let proof = try InclusionProof.make(for: partition.records[offset], auditRecords: audit, publicKey: partition.key.verifyingKey)
        return (proof, partition)
    }

    @Test func roundTrip() throws {
        let (proof, partition) = try Self.makeProof(offset: 21)
        let key = partition.key.verifyingKey
        try proof.verify(publicKey: key)
        let json = try proof.jsonData()
        let decoded = try InclusionProof.verifyProof(json, publicKey: key)
        #expect(decoded == proof)
        #expect(decoded.leafIndex == 21)
        #expect(decoded.treeSize == 37)
        print(String(decoding: json, as: UTF8.self))

        #expect(throws: InclusionProof.Failure.wrongKey) { _ = try InclusionProof.verifyProof(json, publicKey: SigningKey.generate().verifyingKey) }

        // A record the chain does not hold cannot be proven.
        var altered = partition.records[3]
        altered.value = [1, 2, 3]
        let audit = try partition.auditValues.map { try AuditRecord(decodingValue: $0) }
        #expect(throws: AuditChainError.self) { try InclusionProof.make(for: altered, auditRecords: audit, publicKey: key) }
    }

    /// Flipping any single bit of any byte of the proof file makes it fail, whether in the
    /// record, the path, the checkpoint or the JSON structure.
    @Test func everySingleByteChangeFails() throws {
        for offset in [0, 13, 36] {
            let (proof, partition) = try Self.makeProof(offset: offset)
            let key = partition.key.verifyingKey
            let json = Array(try proof.jsonData())
            for index in json.indices {
                for bit in [0, 1, 5] {
                    var changed = json
                    changed[index] ^= UInt8(1 << bit)
                    let accepted = (try? InclusionProof.verifyProof(Data(changed), publicKey: key)) != nil
                    #expect(!accepted, "offset \(offset): byte \(index) ('\(Character(Unicode.Scalar(json[index])))') bit \(bit) still verifies")
                }
            }
        }
    }

    @Test func proofWithNullsAndHeaders() throws {
        let key = SigningKey.generate()
        var chainer = PartitionChainer(topic: "t", partition: 1)
        let records = [
            LeafInput(topic: "t", partition: 1, offset: 3, timestamp: -1, key: nil, value: nil, headers: [.init(key: "a/b", value: nil), .init(key: "", value: [])]),
            LeafInput(topic: "t", partition: 1, offset: 4, timestamp: 5, key: [], value: [0xFF, 0xFE]),
        ]
        for record in records { try chainer.append(record) }
        let audit = [try chainer.makeCheckpoint(timestampMs: 9, signingKey: key)]
        for record in records {
            let proof = try InclusionProof.make(for: record, auditRecords: audit, publicKey: key.verifyingKey)
            let decoded = try InclusionProof.verifyProof(try proof.jsonData(), publicKey: key.verifyingKey)
            #expect(decoded.record == record)
        }
    }
}
