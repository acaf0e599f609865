import Testing
@testable import TopicPolicy

@Test func moduleLoads() {
    #expect(Bool(true))
}
