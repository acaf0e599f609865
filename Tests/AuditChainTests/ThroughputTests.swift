import AuditChain
import Foundation
import KafkaProtocol
import NIOCore
import Testing

/// Measures hashing throughput of record bytes (prints MB/s; no assertion on time, since
/// the machine is shared). Build with `-c release` for meaningful numbers.
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
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            for _ in 0..<rounds {
                for record in records { sink = hasher.leafHash(of: record) }
            }
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let megabytesPerSecond = Double(bytesPerRound * rounds) / seconds / 1e6
        print("leaf hashing, \(valueSize)-byte values: \(Int(megabytesPerSecond)) MB/s of record bytes (\(Int(Double(records.count * rounds) / seconds)) records/s) [\(sink.hex.prefix(8))]")

        // The whole verifier path (leaf + offset lookup) on the same records.
        var chainer = PartitionChainer(topic: "payment-transactions", partition: 0)
        for record in records { try chainer.append(record) }
        let key = SigningKey.generate()
        let audit = [try chainer.makeCheckpoint(timestampMs: 0, signingKey: key).encodedValue]
        var report: VerificationReport?
        let verifyElapsed = clock.measure {
            report = ChainVerifier.verify(topic: "payment-transactions", partition: 0, publicKey: key.verifyingKey, auditRecordValues: audit, records: records, logStartOffset: 0, logEndOffset: Int64(records.count))
        }
        let verifySeconds = Double(verifyElapsed.components.seconds) + Double(verifyElapsed.components.attoseconds) / 1e18
        print("chain verification, \(valueSize)-byte values: \(Int(Double(bytesPerRound) / verifySeconds / 1e6)) MB/s of record bytes")
        #expect(report?.isIntact == true)
    }
}
