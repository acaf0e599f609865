import Testing
@testable import Broker

@Test func moduleLoads() {
    #expect(Bool(true))
}
