import Testing
@testable import AuditChain

@Test func moduleBuilds() {
    #expect(Bool(true))
}
