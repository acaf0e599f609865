import AuditChain
import Foundation
import KafkaProtocol
import NIOCore
import Testing

/// Measures hashing throughput of record bytes (prints MB/s; no assertion on time, since
/// the machine is shared). Reports process CPU time as well as wall time, as `openssl speed`
/// does, because wall time on a loaded machine mostly measures the other processes. Debug
/// builds are several times slower; run with `-c release` for the numbers that matter.
@Suite struct ThroughputTests {
    @Test(arguments: [1024, 16 * 1024])
    func leafHashingThroughput(valueSize: Int) throws {
        let recordsPerBatch = max(1, (4 << 20) / valueSize)
        let value = [UInt8](repeating: 0xAB, count: valueSize)
        var builder = RecordBatchBuilder(baseOffset: 0)
        for i in 0..<recordsPerBatch {
            builder.append(key: ByteBuffer(string: "account-\(i)"), value: ByteBuffer(bytes: value), headers: [RecordHeader(key: "trace", value: ByteBuffer(string: "\(i)"))], timestamp: Int64(i))
        }
        let batch = try RecordBatch(bytes: try builder.build())
        let records = try batch.records(maxDecompressedSize: 1 << 30)
        let bytesPerRound = batch.bytes.readableBytes

        var hasher = LeafHasher(topic: "payment-transactions", partition: 0)
        var sink = AuditDigest.zero
        let rounds = 8
        let hashing = measure {
            for _ in 0..<rounds {
                for record in records { sink = hasher.leafHash(of: record) }
            }
        }
        let hashed = Double(bytesPerRound * rounds)
        print("leaf hashing, \(valueSize)-byte values: \(Int(hashed / hashing.cpu / 1e6)) MB/s CPU time, \(Int(hashed / hashing.wall / 1e6)) MB/s wall, of record bytes [\(sink.hex.prefix(8))]")

        // Two records at a time (the broker's chaining and offline verification), same leaves.
        var paired: [AuditDigest] = []
        paired.reserveCapacity(records.count)
        let pairing = measure {
            for round in 0..<rounds {
                try? hasher.forEachLeaf(of: batch, maxDecompressedSize: 1 << 30) { _, leaf in
                    if round == 0 { paired.append(leaf) } else { sink = leaf }
                }
            }
        }
        print("leaf hashing in pairs, \(valueSize)-byte values: \(Int(hashed / pairing.cpu / 1e6)) MB/s CPU time, \(Int(hashed / pairing.wall / 1e6)) MB/s wall, of record bytes")
        #expect(paired == records.map { hasher.leafHash(of: $0) })

        // The whole verifier path (leaf + offset lookup) on the same records.
        var chainer = PartitionChainer(topic: "payment-transactions", partition: 0)
        for record in records { try chainer.append(record) }
        let key = SigningKey.generate()
        let audit = [try chainer.makeCheckpoint(timestampMs: 0, signingKey: key).encodedValue]
        var report: VerificationReport?
        let verifying = measure {
            report = ChainVerifier.verify(topic: "payment-transactions", partition: 0, publicKey: key.verifyingKey, auditRecordValues: audit, records: records, logStartOffset: 0, logEndOffset: Int64(records.count))
        }
        print("chain verification, \(valueSize)-byte values: \(Int(Double(bytesPerRound) / verifying.cpu / 1e6)) MB/s CPU time, \(Int(Double(bytesPerRound) / verifying.wall / 1e6)) MB/s wall, of record bytes")
        #expect(report?.isIntact == true)
    }

    /// Process CPU seconds and wall seconds spent in `body`.
    private func measure(_ body: () -> Void) -> (cpu: Double, wall: Double) {
        let cpuStart = clock()
        let wallStart = ContinuousClock.now
        body()
        let wall = ContinuousClock.now - wallStart
        return (Double(clock() - cpuStart) / Double(CLOCKS_PER_SEC),
                Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18)
    }
}
