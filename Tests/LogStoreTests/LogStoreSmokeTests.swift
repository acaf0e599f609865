import Testing
@testable import LogStore

@Test func moduleLoads() {
    #expect(Bool(true))
}
