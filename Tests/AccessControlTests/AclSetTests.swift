import AccessControl
import Testing

@Suite struct AclSetTests {
    let alice = "User:alice"

    @Test func defaultDenyWithNoAcls() {
        #expect(!AclSet().allows(principal: alice, host: "10.0.0.1", operation: .read, resourceType: .topic, resourceName: "payments"))
    }

    @Test func literalAllowCoversOnlyThatTopicAndOperation() {
        let acls = AclSet([AclBinding(resourceType: .topic, resourceName: "payments", principal: alice, operation: .read)])
        #expect(acls.allows(principal: alice, host: "h", operation: .read, resourceType: .topic, resourceName: "payments"))
        #expect(!acls.allows(principal: alice, host: "h", operation: .write, resourceType: .topic, resourceName: "payments"))
        #expect(!acls.allows(principal: alice, host: "h", operation: .read, resourceType: .topic, resourceName: "payments-eu"))
        #expect(!acls.allows(principal: alice, host: "h", operation: .read, resourceType: .group, resourceName: "payments"))
        #expect(!acls.allows(principal: "User:bob", host: "h", operation: .read, resourceType: .topic, resourceName: "payments"))
    }

    @Test func readImpliesDescribeButNotTheOtherWayRound() {
        let acls = AclSet([AclBinding(resourceType: .topic, resourceName: "t", principal: alice, operation: .read)])
        #expect(acls.allows(principal: alice, host: "h", operation: .describe, resourceType: .topic, resourceName: "t"))
        let describeOnly = AclSet([AclBinding(resourceType: .topic, resourceName: "t", principal: alice, operation: .describe)])
        #expect(!describeOnly.allows(principal: alice, host: "h", operation: .read, resourceType: .topic, resourceName: "t"))
        let alterConfigs = AclSet([AclBinding(resourceType: .topic, resourceName: "t", principal: alice, operation: .alterConfigs)])
        #expect(alterConfigs.allows(principal: alice, host: "h", operation: .describeConfigs, resourceType: .topic, resourceName: "t"))
    }

    @Test func prefixedWildcardsAndAll() {
        let acls = AclSet([
            AclBinding(resourceType: .topic, resourceName: "pay", patternType: .prefixed, principal: alice, operation: .write),
            AclBinding(resourceType: .group, resourceName: "*", principal: "User:*", operation: .all),
        ])
        #expect(acls.allows(principal: alice, host: "h", operation: .write, resourceType: .topic, resourceName: "payments"))
        #expect(!acls.allows(principal: alice, host: "h", operation: .write, resourceType: .topic, resourceName: "refunds"))
        #expect(acls.allows(principal: "User:bob", host: "h", operation: .read, resourceType: .group, resourceName: "any-group"))
    }

    @Test func denyWinsOverAllow() {
        let acls = AclSet([
            AclBinding(resourceType: .topic, resourceName: "*", principal: alice, operation: .all),
            AclBinding(resourceType: .topic, resourceName: "secrets", principal: alice, operation: .read, permission: .deny),
        ])
        #expect(acls.allows(principal: alice, host: "h", operation: .read, resourceType: .topic, resourceName: "payments"))
        #expect(!acls.allows(principal: alice, host: "h", operation: .read, resourceType: .topic, resourceName: "secrets"))
        #expect(acls.allows(principal: alice, host: "h", operation: .write, resourceType: .topic, resourceName: "secrets"))
    }

    @Test func hostRestriction() {
        let acls = AclSet([AclBinding(resourceType: .topic, resourceName: "t", principal: alice, host: "10.0.0.1", operation: .read)])
        #expect(acls.allows(principal: alice, host: "10.0.0.1", operation: .read, resourceType: .topic, resourceName: "t"))
        #expect(!acls.allows(principal: alice, host: "10.0.0.2", operation: .read, resourceType: .topic, resourceName: "t"))
    }

    @Test func filtersForDescribeAndDelete() {
        var acls = AclSet([
            AclBinding(resourceType: .topic, resourceName: "payments", principal: alice, operation: .read),
            AclBinding(resourceType: .topic, resourceName: "pay", patternType: .prefixed, principal: "User:bob", operation: .write),
            AclBinding(resourceType: .group, resourceName: "g", principal: alice, operation: .read),
        ])
        #expect(acls.bindings(matching: AclBindingFilter()).count == 3)
        #expect(acls.bindings(matching: AclBindingFilter(resourceType: .topic, resourceName: "payments", patternType: .match)).count == 2)
        #expect(acls.bindings(matching: AclBindingFilter(resourceType: .topic, patternType: .literal)).count == 1)
        #expect(acls.insert(AclBinding(resourceType: .group, resourceName: "g", principal: alice, operation: .read)) == false)
        let removed = acls.remove(matching: AclBindingFilter(principal: alice))
        #expect(removed.count == 2)
        #expect(acls.bindings.map(\.principal) == ["User:bob"])
    }

    @Test func bindingsThatCannotBeStored() {
        #expect(AclBinding(resourceType: .any, resourceName: "t", principal: alice, operation: .read).invalidReason != nil)
        #expect(AclBinding(resourceType: .topic, resourceName: "t", principal: "alice", operation: .read).invalidReason != nil)
        #expect(AclBinding(resourceType: .cluster, resourceName: "c", principal: alice, operation: .alter).invalidReason != nil)
        #expect(AclBinding(resourceType: .topic, resourceName: "t", principal: alice, operation: .read).invalidReason == nil)
    }
}
