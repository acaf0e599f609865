import Testing
@testable import SchemaRegistryServer

@Test func moduleBuilds() {
    #expect(Bool(true))
}
