import Testing
@testable import TopicPolicy

@Suite struct DurationAndSizeTests {
    @Test(arguments: [
        ("500ms", Int64(500)),
        ("0", 0),
        ("604800000", 604_800_000),
        ("30s", 30_000),
        ("15m", 900_000),
        ("1h", 3_600_000),
        ("1d", 86_400_000),
        ("7d", 604_800_000),
        ("1w", 604_800_000),
        ("1y", 31_536_000_000),
        ("7y", 220_752_000_000),
        ("1_000ms", 1_000),
    ])
    func durations(text: String, milliseconds: Int64) throws {
        #expect(try DurationParser.milliseconds(from: text) == milliseconds)
    }

    @Test(arguments: [
        ("7yr", "bad duration unit 'yr' in '7yr'"),
        ("7 d", "bad duration unit ' d'"),
        ("1.5d", "bad duration unit '.5d'"),
        ("d", "invalid duration 'd'"),
        ("", "invalid duration ''"),
        ("-5s", "must not be negative"),
        ("99999999999y", "too large"),
    ])
    func badDurations(text: String, fragment: String) {
        #expect {
            try DurationParser.milliseconds(from: text)
        } throws: { error in
            (error as? ValueParseError)?.message.contains(fragment) == true
        }
    }

    @Test(arguments: [
        ("0", Int64(0)),
        ("1048576", 1_048_576),
        ("10_485_760", 10_485_760),
        ("1KiB", 1_024),
        ("10MiB", 10_485_760),
        ("1GiB", 1_073_741_824),
    ])
    func sizes(text: String, bytes: Int64) throws {
        #expect(try SizeParser.bytes(from: text) == bytes)
    }

    @Test(arguments: [
        ("10MB", "bad size unit 'MB' in '10MB'"),
        ("10mib", "bad size unit 'mib'"),
        ("MiB", "invalid size"),
        ("-1", "must not be negative"),
        ("99999999999GiB", "too large"),
    ])
    func badSizes(text: String, fragment: String) {
        #expect {
            try SizeParser.bytes(from: text)
        } throws: { error in
            (error as? ValueParseError)?.message.contains(fragment) == true
        }
    }

    @Test func durationsAndSizesInTopics() throws {
        let file = try TopicsFile.parse(yaml: """
            topics:
              orders:
                partitions: 3
                retention: 90d
                segment: 6h
                delete_retention: 1d
                min_compaction_lag: 500ms
                retention_bytes: 1GiB
                segment_bytes: 512MiB
                max_message_bytes: 1048576
            """, fileName: "topics.yaml")
        let topic = try #require(file.topics.first)
        #expect(topic.retentionMs == Int64(90 * 86_400_000))
        #expect(topic.segmentMs == Int64(6 * 3_600_000))
        #expect(topic.deleteRetentionMs == 86_400_000)
        #expect(topic.minCompactionLagMs == 500)
        #expect(topic.retentionBytes == Int64(1 << 30))
        #expect(topic.segmentBytes == Int64(512 << 20))
        #expect(topic.maxMessageBytes == Int64(1 << 20))
    }

    @Test func badSizeUnitInTopicIsPositioned() {
        expectSingleError("""
            topics:
              orders:
                partitions: 3
                max_message_bytes: 10MB
            """, line: 4, column: 24, containing: "bad size unit 'MB' in '10MB' (use KiB, MiB or GiB) for 'max_message_bytes' in topic 'orders'")
    }

    @Test func maxMessageBytesMustFitKafkaInt() {
        expectSingleError("""
            topics:
              orders:
                partitions: 3
                max_message_bytes: 2GiB
            """, line: 4, column: 24, containing: "must be at most 2147483647")
    }

    @Test func infiniteRetentionBytes() throws {
        let file = try TopicsFile.parse(
            yaml: "topics:\n  orders:\n    partitions: 3\n    retention_bytes: infinite\n", fileName: "topics.yaml")
        #expect(file.topics.first?.retentionBytes == -1)
    }
}
