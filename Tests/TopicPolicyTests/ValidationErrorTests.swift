import Testing
@testable import TopicPolicy

/// Every validation error names the file, the line and column of the offending
/// node (1-based), and what is wrong.
@Suite struct ValidationErrorTests {
    @Test func unknownTopicKeyHasTheDocumentedFormat() {
        let errors = validationErrors("""
            topics:
              payment-transactions:
                partitions: 12
                retension: 7y
            """)
        #expect(errors.map(\.description) == [
            "topics.yaml:4:5: unknown key 'retension' in topic 'payment-transactions'",
        ])
    }

    @Test func unknownTopLevelKey() {
        expectSingleError("""
            topics:
              orders:
                partitions: 3
            extras: 1
            """, line: 4, column: 1, containing: "unknown key 'extras' at top level")
    }

    @Test func unknownDefaultsKey() {
        expectSingleError("""
            defaults:
              replication: 3
            topics: {}
            """, line: 2, column: 3, containing: "unknown key 'replication' in defaults")
    }

    @Test func unknownSchemaKey() {
        expectSingleError("""
            topics:
              orders:
                partitions: 3
                schema:
                  value: schemas/order.avsc
                  compat: FULL
            """, line: 6, column: 7, containing: "unknown key 'compat' in schema of topic 'orders'")
    }

    @Test func badDurationUnit() {
        expectSingleError("""
            topics:
              orders:
                partitions: 3
                retention: 7yr
            """, line: 4, column: 16, containing: "bad duration unit 'yr' in '7yr'")
    }

    @Test func partitionsBelowOne() {
        expectSingleError("""
            topics:
              orders:
                partitions: 0
            """, line: 3, column: 17, containing: "'partitions' must be at least 1, got '0', in topic 'orders'")
    }

    @Test func nonIntegerPartitions() {
        expectSingleError("""
            topics:
              orders:
                partitions: twelve
            """, line: 3, column: 17, containing: "'partitions' must be an integer, got 'twelve'")
    }

    @Test func nonIntegerDefault() {
        expectSingleError("""
            defaults:
              replication_factor: three
            topics: {}
            """, line: 2, column: 23, containing: "'replication_factor' must be an integer, got 'three', in defaults")
    }

    @Test func badCleanupPolicyPointsAtTheListItem() {
        expectSingleError("""
            topics:
              orders:
                partitions: 3
                cleanup_policy: [compact, purge]
            """, line: 4, column: 31, containing: "bad cleanup policy 'purge' in topic 'orders'")
    }

    @Test func badCompression() {
        expectSingleError("""
            topics:
              orders:
                partitions: 3
                compression: brotli
            """, line: 4, column: 18,
            containing: "bad compression 'brotli' in topic 'orders' (use none, gzip, snappy, lz4, zstd or producer)")
    }

    @Test func badCompatibilityLevel() {
        expectSingleError("""
            topics:
              orders:
                partitions: 3
                schema:
                  value: schemas/order.avsc
                  compatibility: SIDEWAYS
            """, line: 6, column: 22, containing: "bad compatibility level 'SIDEWAYS'")
    }

    @Test(arguments: [
        ("orders/v1", "character '/'"),
        ("'.'", "'.' is not allowed"),
        ("'..'", "'..' is not allowed"),
        ("\"\"", "must not be empty"),
        (String(repeating: "a", count: 250), "at most 249"),
    ])
    func invalidTopicName(name: String, fragment: String) {
        expectSingleError("""
            topics:
              \(name):
                partitions: 3
            """, line: 2, column: 3, containing: fragment)
    }

    @Test func longestLegalTopicName() throws {
        let name = String(repeating: "a", count: 249)
        let file = try TopicsFile.parse(yaml: "topics:\n  \(name):\n    partitions: 1\n", fileName: "topics.yaml")
        #expect(file.topics.first?.name == name)
    }

    @Test func retentionBelowFloor() {
        expectSingleError("""
            topics:
              ledger:
                partitions: 3
                retention_floor: 7y
                retention: 1d
            """, line: 5, column: 16,
            containing: "retention 1d (86400000 ms) is below retention_floor 7y (220752000000 ms) in topic 'ledger'")
    }

    @Test func defaultRetentionBelowFloorPointsAtTheFloor() {
        expectSingleError("""
            topics:
              ledger:
                partitions: 3
                retention_floor: 30d
            """, line: 4, column: 22, containing: "below retention_floor 30d")
    }

    @Test func infiniteRetentionSatisfiesAnyFloor() throws {
        for retention in ["infinite", "-1"] {
            let file = try TopicsFile.parse(yaml: """
                topics:
                  ledger:
                    partitions: 3
                    retention_floor: 7y
                    retention: \(retention)
                """, fileName: "topics.yaml")
            #expect(file.topics.first?.retentionMs == -1)
            #expect(file.topics.first?.retentionFloorMs == Int64(7 * 365 * 86_400_000))
        }
    }

    @Test func duplicateTopicName() {
        expectSingleError("""
            topics:
              orders:
                partitions: 3
              orders:
                partitions: 4
            """, line: 4, column: 3, containing: "duplicate topic name 'orders' (first declared at line 2)")
    }

    @Test func duplicateKeyInTopic() {
        expectSingleError("""
            topics:
              orders:
                partitions: 3
                partitions: 4
            """, line: 4, column: 5, containing: "duplicate key 'partitions' in topic 'orders'")
    }

    @Test func topicNamesCollidingInMetrics() {
        expectSingleError("""
            topics:
              orders.eu:
                partitions: 3
              orders_eu:
                partitions: 3
            """, line: 4, column: 3, containing: "collides with 'orders.eu'")
    }

    @Test func compactedTopicRequiringKeysNeedsKeySchema() {
        expectSingleError("""
            topics:
              accounts:
                partitions: 3
                cleanup_policy: compact
                schema:
                  value: schemas/account.avsc
                  key_required: true
            """, line: 7, column: 21,
            containing: "compacted topic 'accounts' has key_required: true but its schema declares no 'key'")
    }

    @Test func keyRequiredOnDeleteTopicNeedsNoKeySchema() throws {
        let file = try TopicsFile.parse(yaml: """
            topics:
              accounts:
                partitions: 3
                schema:
                  value: schemas/account.avsc
                  key_required: true
            """, fileName: "topics.yaml")
        #expect(file.topics.first?.schema?.keyRequired == true)
    }

    @Test func yamlScannerErrorUsesYamsPosition() {
        expectSingleError("topics:\n\torders: 1\n", line: 2, column: 1, containing: "YAML syntax error")
    }

    @Test func yamlParserErrorUsesYamsPosition() {
        expectSingleError("""
            topics:
              orders: partitions: 3
            """, line: 2, column: 21, containing: "mapping values are not allowed")
    }

    @Test func missingPartitionsPointsAtTheTopic() {
        expectSingleError("""
            topics:
              orders:
                retention: 1d
            """, line: 2, column: 3, containing: "missing required key 'partitions' in topic 'orders'")
    }

    @Test func missingValue() {
        expectSingleError("""
            topics:
              orders:
                partitions: 3
                retention:
            """, line: 4, column: 5, containing: "missing value for 'retention' in topic 'orders'")
    }

    @Test func nonBooleanFlag() {
        expectSingleError("""
            topics:
              orders:
                partitions: 3
                immutable: maybe
            """, line: 4, column: 16, containing: "'immutable' must be true or false, got 'maybe'")
    }

    @Test func minInsyncAboveReplicationFactor() {
        expectSingleError("""
            defaults:
              replication_factor: 3
              min_insync_replicas: 2
            topics:
              orders:
                partitions: 3
                replication_factor: 1
            """, line: 7, column: 25, containing: "min_insync_replicas 2 exceeds replication_factor 1 in topic 'orders'")
    }

    @Test func typedConfigInEscapeHatchIsRejected() {
        expectSingleError("""
            topics:
              orders:
                partitions: 3
                configs:
                  retention.ms: 1000
            """, line: 5, column: 7, containing: "'retention.ms' must be set with 'retention', not in configs")
    }

    @Test func topicMustBeAMapping() {
        expectSingleError("""
            topics:
              orders: 3
            """, line: 2, column: 11, containing: "topic 'orders' must be a mapping")
    }

    @Test func emptyFileIsAFileLevelError() {
        let errors = validationErrors("")
        #expect(errors.map(\.description) == ["topics.yaml: file is empty; expected 'defaults' and 'topics'"])
    }

    @Test func unreadableFileIsAFileLevelError() {
        #expect {
            try TopicsFile.load(path: "/nonexistent/topics.yaml")
        } throws: { error in
            guard let errors = error as? TopicsFileErrors, let first = errors.errors.first else { return false }
            return first.line == 0 && first.description.hasPrefix("/nonexistent/topics.yaml: cannot read file")
        }
    }

    @Test func allErrorsAreCollectedInFileOrder() {
        let errors = validationErrors("""
            defaults:
              replication_factor: x
            topics:
              orders:
                partitions: 0
                retension: 7d
                compression: brotli
              bad/name:
                partitions: 3
                segment: 5q
            """)
        #expect(errors.map { "\($0.line):\($0.column)" } == ["2:23", "5:17", "6:5", "7:18", "8:3", "10:14"])
        let description = TopicsFileErrors(errors).description
        #expect(description.split(separator: "\n").count == 6)
        #expect(description.hasPrefix("topics.yaml:2:23: "))
    }
}
