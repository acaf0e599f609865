import Testing
@testable import KafkaProtocol

@Suite struct KafkaErrorCodeTests {
    @Test func codesAndNames() {
        #expect(KafkaErrorCode.none.rawValue == 0 && KafkaErrorCode.none.name == "NONE")
        #expect(KafkaErrorCode.unknownServerError.rawValue == -1)
        #expect(KafkaErrorCode.unknownTopicOrPartition.rawValue == 3)
        #expect(KafkaErrorCode.unknownTopicOrPartition.name == "UNKNOWN_TOPIC_OR_PARTITION")
        #expect(KafkaErrorCode.policyViolation.rawValue == 44)
        #expect(KafkaErrorCode.topicDeletionDisabled.rawValue == 73)
        #expect(KafkaErrorCode.invalidRecord.rawValue == 87)
        #expect(KafkaErrorCode.fencedMemberEpoch.rawValue == 110)
        #expect(KafkaErrorCode(code: 30000) == .unknownServerError)
    }

    @Test func everyCodeFromMinusOneTo110IsKnown() {
        for code in Int16(-1)...110 {
            #expect(KafkaErrorCode(rawValue: code) != nil, "code \(code)")
        }
        let names = Set(KafkaErrorCode.allCases.map(\.name))
        #expect(names.count == KafkaErrorCode.allCases.count)
        for c in KafkaErrorCode.allCases {
            #expect(c.name.allSatisfy { $0.isUppercase || $0 == "_" })
        }
    }

    @Test func retriable() {
        #expect(KafkaErrorCode.notLeaderOrFollower.isRetriable)
        #expect(KafkaErrorCode.unknownTopicOrPartition.isRetriable)
        #expect(KafkaErrorCode.coordinatorLoadInProgress.isRetriable)
        #expect(KafkaErrorCode.requestTimedOut.isRetriable)
        #expect(!KafkaErrorCode.none.isRetriable)
        #expect(!KafkaErrorCode.policyViolation.isRetriable)
        #expect(!KafkaErrorCode.invalidRecord.isRetriable)
        #expect(!KafkaErrorCode.unknownServerError.isRetriable)
    }
}
