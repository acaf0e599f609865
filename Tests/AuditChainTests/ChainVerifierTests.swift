import AuditChain
import KafkaProtocol
import NIOCore
import Testing

/// A partition written through `PartitionChainer`, with its `__audit` values, for tampering.
struct AuditedPartition {
    static let topic = "payment-transactions"
    static let partition: Int32 = 4

    let key: SigningKey
    var records: [LeafInput]
    var auditValues: [ByteBuffer]

    /// `count` records at offsets 0..<count, a checkpoint every `every` records and a final one.
    init(count: Int, every: Int, key: SigningKey = .generate(), generator: inout SeededGenerator) throws {
        self.key = key
        var chainer = PartitionChainer(topic: Self.topic, partition: Self.partition)
        records = []
        auditValues = []
        for offset in 0..<count {
            let value = (0..<Int.random(in: 0...40, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let record = LeafInput(
                topic: Self.topic, partition: Self.partition, offset: Int64(offset), timestamp: 1_700_000_000_000 + Int64(offset),
                key: Array("account-\(offset % 7)".utf8), value: value,
                headers: offset % 3 == 0 ? [.init(key: "trace", value: Array("t\(offset)".utf8))] : [])
            try chainer.append(record)
            records.append(record)
            if (offset + 1) % every == 0 {
                auditValues.append(try chainer.makeCheckpoint(timestampMs: Int64(offset), signingKey: key).encodedValue)
            }
        }
        if chainer.pendingCount > 0 || auditValues.isEmpty {
            auditValues.append(try chainer.makeCheckpoint(timestampMs: Int64(count), signingKey: key).encodedValue)
        }
    }

    init(count: Int, every: Int, seed: UInt64 = 1) throws {
        var generator = SeededGenerator(seed: seed)
        try self.init(count: count, every: every, generator: &generator)
    }

    func verify(records: [LeafInput]? = nil, auditValues: [ByteBuffer]? = nil, logStartOffset: Int64 = 0, logEndOffset: Int64? = nil, publicKey: VerifyingKey? = nil) -> VerificationReport {
        var verifier = ChainVerifier(topic: Self.topic, partition: Self.partition, publicKey: publicKey ?? key.verifyingKey)
        for value in auditValues ?? self.auditValues { verifier.addAuditRecord(value: value) }
        for record in records ?? self.records { verifier.checkRecord(record) }
        return verifier.finish(logStartOffset: logStartOffset, logEndOffset: logEndOffset ?? Int64(self.records.count))
    }
}

@Suite struct ChainVerifierTests {
    @Test func clean() throws {
        let partition = try AuditedPartition(count: 50, every: 8)
        let report = partition.verify()
        #expect(report.isIntact, "\(report.failures)")
        #expect(report.verifiedRecordCount == 50)
        #expect(report.checkpointCount == 7)
        #expect(report.treeSize == 50)
    }

    @Test func cleanFromParsedRecordBatches() throws {
        // The broker path: Record views straight out of a RecordBatch.
        let records = try makeRecords(baseOffset: 0, (0..<20).map { i in
            (Array("k\(i)".utf8), i == 5 ? nil : Array(repeating: UInt8(i), count: i * 10),
             i % 2 == 0 ? [RecordHeader(key: "h", value: ByteBuffer(string: "\(i)"))] : [], Int64(1000 + i))
        })
        let key = SigningKey.generate()
        var chainer = PartitionChainer(topic: "t", partition: 0)
        var audit: [ByteBuffer] = []
        for record in records {
            try chainer.append(record)
            if chainer.pendingCount == 6 { audit.append(try chainer.makeCheckpoint(timestampMs: 1, signingKey: key).encodedValue) }
        }
        audit.append(try chainer.makeCheckpoint(timestampMs: 2, signingKey: key).encodedValue)
        let report = ChainVerifier.verify(topic: "t", partition: 0, publicKey: key.verifyingKey, auditRecordValues: audit, records: records, logStartOffset: 0, logEndOffset: 20)
        #expect(report.isIntact, "\(report.failures)")
        #expect(report.verifiedRecordCount == 20)

        // The same records with one value byte changed fail at that offset.
        let tampered = try makeRecords(baseOffset: 0, (0..<20).map { i in
            (Array("k\(i)".utf8), i == 5 ? nil : Array(repeating: UInt8(i == 12 ? 99 : i), count: i * 10),
             i % 2 == 0 ? [RecordHeader(key: "h", value: ByteBuffer(string: "\(i)"))] : [], Int64(1000 + i))
        })
        let bad = ChainVerifier.verify(topic: "t", partition: 0, publicKey: key.verifyingKey, auditRecordValues: audit, records: tampered, logStartOffset: 0, logEndOffset: 20)
        #expect(bad.failures.map(\.kind) == [.recordChanged])
        #expect(bad.failures.first?.offset == 12)
    }

    @Test func oneValueChanged() throws {
        let partition = try AuditedPartition(count: 30, every: 10)
        var records = partition.records
        records[17].value = (records[17].value ?? []) + [0]
        let report = partition.verify(records: records)
        #expect(report.failures.count == 1)
        #expect(report.failures.first?.kind == .recordChanged)
        #expect(report.failures.first?.offset == 17)
        #expect(report.failures.first?.topic == AuditedPartition.topic)
        #expect(report.failures.first?.partition == AuditedPartition.partition)
    }

    @Test func recordsRemovedByCompactionAndRetentionAreFine() throws {
        let partition = try AuditedPartition(count: 30, every: 10)
        var records = partition.records
        records.removeSubrange(0..<5)        // retention: the log now starts at 5
        records.removeAll { [8, 9, 15, 22].contains($0.offset) }  // compaction
        let report = partition.verify(records: records, logStartOffset: 5)
        #expect(report.isIntact, "\(report.failures)")
        #expect(report.removedRecordCount == 9)
        #expect(report.removedBeforeLogStartCount == 5)
        #expect(report.verifiedRecordCount == 21)
    }

    @Test func twoRecordsSwapped() throws {
        let partition = try AuditedPartition(count: 30, every: 10)
        // Payloads exchanged between offsets 11 and 12.
        var records = partition.records
        let payload = (records[11].key, records[11].value, records[11].headers, records[11].timestamp)
        (records[11].key, records[11].value, records[11].headers, records[11].timestamp) = (records[12].key, records[12].value, records[12].headers, records[12].timestamp)
        (records[12].key, records[12].value, records[12].headers, records[12].timestamp) = payload
        let report = partition.verify(records: records)
        #expect(report.failures.map(\.kind) == [.recordChanged, .recordChanged])
        #expect(report.failures.map(\.offset) == [11, 12])

        // Records served out of offset order.
        var reordered = partition.records
        reordered.swapAt(11, 12)
        let outOfOrder = partition.verify(records: reordered)
        #expect(outOfOrder.failures.map(\.kind).contains(.recordsOutOfOrder))
    }

    @Test func truncatedLog() throws {
        let partition = try AuditedPartition(count: 30, every: 10)
        let records = Array(partition.records.prefix(27))
        let report = partition.verify(records: records, logEndOffset: 27)
        #expect(report.failures.map(\.kind) == [.truncated])
        #expect(report.failures.first?.offset == 27)
        #expect(report.failures.first?.checkpointIndex == 2)

        // Cut short and then written again from the cut: the new records do not match.
        var rewritten = records
        rewritten.append(LeafInput(topic: AuditedPartition.topic, partition: AuditedPartition.partition, offset: 27, timestamp: 1, key: nil, value: [1]))
        let again = partition.verify(records: rewritten, logEndOffset: 28)
        #expect(again.failures.map(\.kind).contains(.recordChanged))
        #expect(again.failures.map(\.kind).contains(.truncated))
    }

    @Test func insertedRecord() throws {
        let partition = try AuditedPartition(count: 30, every: 10)
        var records = partition.records
        records.removeAll { $0.offset == 14 }
        var fake = partition.records[14]
        fake.value = [42]
        records.insert(fake, at: 14)
        #expect(partition.verify(records: records).failures.map(\.kind) == [.recordChanged])

        // Records after the last checkpoint are reported as unaudited, not as failures.
        var extra = partition.records
        extra.append(LeafInput(topic: AuditedPartition.topic, partition: AuditedPartition.partition, offset: 30, timestamp: 1, key: nil, value: nil))
        let report = partition.verify(records: extra, logEndOffset: 31)
        #expect(report.isIntact)
        #expect(report.unauditedRecordCount == 1)
    }

    @Test func checkpointRemovedOrReordered() throws {
        let partition = try AuditedPartition(count: 40, every: 10)
        var removed = partition.auditValues
        removed.remove(at: 1)
        let removedReport = partition.verify(auditValues: removed)
        #expect(removedReport.failures.contains { $0.kind == .brokenChain && $0.checkpointIndex == 1 })
        #expect(!removedReport.isIntact)

        var reordered = partition.auditValues
        reordered.swapAt(1, 2)
        let reorderedReport = partition.verify(auditValues: reordered)
        #expect(reorderedReport.failures.contains { $0.kind == .brokenChain && $0.checkpointIndex == 1 })

        var first = partition.auditValues
        first.removeFirst()
        #expect(partition.verify(auditValues: first).failures.contains { $0.kind == .brokenChain && $0.checkpointIndex == 0 })
    }

    @Test func checkpointSignedWithAnotherKey() throws {
        let partition = try AuditedPartition(count: 20, every: 10)
        // A forger re-signs the whole chain with their own key: every checkpoint fails.
        let forger = SigningKey.generate()
        var sameRecords = SeededGenerator(seed: 1)
        var forged = try AuditedPartition(count: 20, every: 10, key: forger, generator: &sameRecords)
        forged.records = partition.records
        let report = partition.verify(auditValues: forged.auditValues)
        #expect(report.failures.filter { $0.kind == .badSignature }.count == 2)
        // And verifying an honest chain with the wrong key fails too.
        let wrongKey = partition.verify(publicKey: forger.verifyingKey)
        #expect(wrongKey.failures.filter { $0.kind == .badSignature }.count == 2)

        // One checkpoint replaced by one signed with another key (same contents otherwise).
        var values = partition.auditValues
        var record = try AuditRecord(decodingValue: values[1])
        var checkpoint = record.checkpoint.checkpoint
        checkpoint.keyID = forger.keyID
        record.checkpoint = try checkpoint.sign(with: forger)
        values[1] = record.encodedValue
        #expect(partition.verify(auditValues: values).failures.map(\.kind) == [.badSignature])
    }

    @Test func malformedAndTamperedAuditRecords() throws {
        let partition = try AuditedPartition(count: 20, every: 10)
        var values = partition.auditValues
        values[0] = ByteBuffer(string: "garbage")
        #expect(partition.verify(auditValues: values).failures.first?.kind == .malformedAuditRecord)

        // A leaf hash changed inside an audit record: its root no longer matches.
        var record = try AuditRecord(decodingValue: partition.auditValues[1])
        record.entries[3].leafHash = flipBit(record.entries[3].leafHash, bit: 100)
        values = partition.auditValues
        values[1] = record.encodedValue
        #expect(partition.verify(auditValues: values).failures.map(\.kind).contains(.rootMismatch))
    }

    /// Random partitions with random compaction verify; one random changed byte, in a
    /// surviving record or anywhere in an audit record, never does.
    @Test func property() throws {
        var generator = SeededGenerator(seed: 0xA0D17)
        for round in 0..<60 {
            let count = Int.random(in: 1...120, using: &generator)
            let every = Int.random(in: 1...25, using: &generator)
            let partition = try AuditedPartition(count: count, every: every, generator: &generator)
            // Compaction-like removal, never the last record (the log's end stays put).
            var records = partition.records.enumerated().filter { index, _ in
                index == count - 1 || Int.random(in: 0..<3, using: &generator) != 0
            }.map(\.element)
            let clean = partition.verify(records: records)
            #expect(clean.isIntact, "round \(round): \(clean.failures)")

            if Bool.random(using: &generator) {
                // Change one byte of one surviving record's key, value, header or timestamp.
                let index = Int.random(in: records.indices, using: &generator)
                var record = records[index]
                switch Int.random(in: 0..<4, using: &generator) {
                case 0: record.key = mutate(record.key, &generator)
                case 1: record.value = mutate(record.value, &generator)
                case 2: record.timestamp ^= 1 << Int64.random(in: 0..<63, using: &generator)
                default:
                    if record.headers.isEmpty { record.headers = [.init(key: "x", value: nil)] } else { record.headers[0].value = mutate(record.headers[0].value, &generator) }
                }
                records[index] = record
                let report = partition.verify(records: records)
                #expect(report.failures.contains { $0.kind == .recordChanged && $0.offset == record.offset }, "round \(round)")
            } else {
                // Change one byte of one audit record.
                var values = partition.auditValues
                let which = Int.random(in: values.indices, using: &generator)
                var bytes = Array(values[which].readableBytesView)
                let position = Int.random(in: bytes.indices, using: &generator)
                bytes[position] ^= UInt8(1 << Int.random(in: 0..<8, using: &generator))
                values[which] = ByteBuffer(bytes: bytes)
                let report = partition.verify(records: records, auditValues: values)
                #expect(!report.isIntact, "round \(round): audit record \(which) byte \(position) of \(bytes.count)")
            }
        }
    }

    private func mutate(_ bytes: [UInt8]?, _ generator: inout SeededGenerator) -> [UInt8]? {
        guard var bytes, !bytes.isEmpty else { return [0] }
        bytes[Int.random(in: bytes.indices, using: &generator)] ^= UInt8(1 << Int.random(in: 0..<8, using: &generator))
        return bytes
    }
}

