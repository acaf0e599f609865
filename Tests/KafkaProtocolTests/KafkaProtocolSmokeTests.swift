import Testing
@testable import KafkaProtocol

@Test func moduleLoads() {
    #expect(Bool(true))
}
