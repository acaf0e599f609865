import Testing
@testable import SchemaRegistry

@Test func moduleBuilds() {
    #expect(Bool(true))
}
