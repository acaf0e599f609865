import Testing
@testable import SchemaRegistry

/// Spot checks of the Confluent rules, with readable names; the full matrix is
/// in ``JSONSchemaConformanceTests``.
@Suite struct JSONSchemaCompatibilityTests {
    func backward(_ previous: String, _ candidate: String) -> CompatibilityResult {
        JSONSchemaCompatibility.check(level: .backward, candidate: candidate, previous: [previous])
    }

    @Test func addingOptionalPropertyToClosedModelIsCompatible() {
        let r = backward(#"{"properties":{"a":{"type":"string"}},"additionalProperties":false}"#,
                         #"{"properties":{"a":{"type":"string"},"b":{"type":"string"}},"additionalProperties":false}"#)
        #expect(r.isCompatible)
    }

    @Test func addingPropertyToOpenModelIsIncompatibleUnderStrict() {
        let r = backward(#"{"properties":{"a":{"type":"string"}}}"#,
                         #"{"properties":{"a":{"type":"string"},"b":{"type":"string"}}}"#)
        #expect(!r.isCompatible)
        #expect(r.messages == ["OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL #/properties/b"])
    }

    @Test func directionOfLevels() {
        let narrow = #"{"type":"string","maxLength":5}"#
        let wide = #"{"type":"string","maxLength":10}"#
        #expect(JSONSchemaCompatibility.check(level: .backward, candidate: wide, previous: [narrow]).isCompatible)
        #expect(!JSONSchemaCompatibility.check(level: .forward, candidate: wide, previous: [narrow]).isCompatible)
        #expect(!JSONSchemaCompatibility.check(level: .full, candidate: wide, previous: [narrow]).isCompatible)
        #expect(JSONSchemaCompatibility.check(level: .none, candidate: "{", previous: [narrow]).isCompatible)
    }

    @Test func transitiveChecksEveryPreviousSchema() {
        let history = [#"{"type":"string","maxLength":20}"#, #"{"type":"string","maxLength":5}"#]
        let candidate = #"{"type":"string","maxLength":10}"#
        #expect(JSONSchemaCompatibility.check(level: .backward, candidate: candidate, previous: history).isCompatible)
        #expect(!JSONSchemaCompatibility.check(level: .backwardTransitive, candidate: candidate, previous: history).isCompatible)
    }

    @Test func recursiveSchemasTerminate() {
        let previous = ##"{"$ref":"#/$defs/n","$defs":{"n":{"type":"object","properties":{"next":{"$ref":"#/$defs/n"},"v":{"type":"string"}}}}}"##
        let candidate = ##"{"$ref":"#/$defs/n","$defs":{"n":{"type":"object","properties":{"next":{"$ref":"#/$defs/n"},"v":{"type":"number"}}}}}"##
        #expect(backward(previous, previous).isCompatible)
        #expect(!backward(previous, candidate).isCompatible)
    }

    @Test func unparsableSchemasAreIncompatibleWithAReason() {
        let r = backward(#"{"type":"string"}"#, "{nope")
        #expect(!r.isCompatible)
        #expect(r.messages.first?.contains("candidate") == true)
    }
}
