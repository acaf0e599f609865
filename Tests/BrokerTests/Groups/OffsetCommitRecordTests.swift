import Testing
@testable import Broker

@Suite("OffsetCommitRecord encoding")
struct OffsetCommitRecordTests {
    @Test func roundTrip() throws {
        let record = OffsetCommitRecord(
            groupId: "payments-service", topic: "payment-transactions", partition: 11,
            offset: 9_876_543_210, leaderEpoch: 3, metadata: "ünïcode metadata", commitTimestamp: 1_700_000_000_123
        )
        let decoded = try OffsetCommitRecord(key: record.encodeKey(), value: record.encodeValue())
        #expect(decoded == record)
        #expect(try OffsetCommitKey(decoding: record.encodeKey()) == record.key)
    }

    @Test func roundTripOfEdgeValues() throws {
        let record = OffsetCommitRecord(
            groupId: "", topic: "t", partition: Int32.max, offset: -1, leaderEpoch: -1, metadata: "", commitTimestamp: 0
        )
        #expect(try OffsetCommitRecord(key: record.encodeKey(), value: record.encodeValue()) == record)
    }

    @Test func stableBinaryLayout() {
        let record = OffsetCommitRecord(groupId: "g", topic: "t", partition: 1, offset: 2, leaderEpoch: -1, metadata: "m", commitTimestamp: 3)
        #expect(record.encodeKey() == [1, 0, 1, 0x67, 0, 1, 0x74, 0, 0, 0, 1])
        #expect(record.encodeValue() == [
            1,
            0, 0, 0, 0, 0, 0, 0, 2,
            0xFF, 0xFF, 0xFF, 0xFF,
            0, 0, 0, 1, 0x6D,
            0, 0, 0, 0, 0, 0, 0, 3,
        ])
    }

    @Test func decodingErrors() {
        let record = OffsetCommitRecord(groupId: "g", topic: "t", partition: 1, offset: 2, commitTimestamp: 3)
        var badVersion = record.encodeValue()
        badVersion[0] = 9
        #expect(throws: OffsetRecordDecodingError.unsupportedVersion(9)) {
            try OffsetCommitRecord(key: record.encodeKey(), value: badVersion)
        }
        #expect(throws: OffsetRecordDecodingError.truncated) {
            try OffsetCommitRecord(key: record.encodeKey(), value: record.encodeValue().dropLast())
        }
        #expect(throws: OffsetRecordDecodingError.trailingBytes) {
            try OffsetCommitKey(decoding: record.encodeKey() + [0])
        }
        #expect(throws: OffsetRecordDecodingError.invalidUTF8) {
            try OffsetCommitKey(decoding: [1, 0, 1, 0xFF, 0, 1, 0x74, 0, 0, 0, 1])
        }
    }

    @Test func logEntryNullValueIsTombstone() throws {
        let record = OffsetCommitRecord(groupId: "g", topic: "t", partition: 0, offset: 5, commitTimestamp: 1)
        let tombstone = try OffsetLogEntry(key: record.encodeKey(), value: nil as [UInt8]?)
        #expect(tombstone == .tombstone(record.key))
        let commit = try OffsetLogEntry(key: record.encodeKey(), value: record.encodeValue())
        #expect(commit == .commit(record))
    }
}
