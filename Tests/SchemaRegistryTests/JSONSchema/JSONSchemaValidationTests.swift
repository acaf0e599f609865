import Testing
@testable import SchemaRegistry

/// Payload validation, keyword by keyword: one passing and one failing instance each.
@Suite struct JSONSchemaValidationTests {
    func errors(_ schema: String, _ instance: String) throws -> [String] {
        try JSONSchema(parsing: schema).validate(JSONValue.parse(instance))
    }

    func expectValid(_ schema: String, _ instance: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let e = try errors(schema, instance)
        #expect(e.isEmpty, "\(instance) should be valid: \(e)", sourceLocation: sourceLocation)
    }

    func expectInvalid(_ schema: String, _ instance: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(try !errors(schema, instance).isEmpty, "\(instance) should be invalid", sourceLocation: sourceLocation)
    }

    @Test func type() throws {
        try expectValid(#"{"type":"string"}"#, #""a""#)
        try expectInvalid(#"{"type":"string"}"#, "1")
        try expectValid(#"{"type":"integer"}"#, "1.0")
        try expectInvalid(#"{"type":"integer"}"#, "1.5")
        try expectValid(#"{"type":["null","boolean"]}"#, "true")
        try expectInvalid(#"{"type":["null","boolean"]}"#, "{}")
    }

    @Test func enumAndConst() throws {
        try expectValid(#"{"enum":["a",1,{"k":[1]}]}"#, #"{"k":[1.0]}"#)
        try expectInvalid(#"{"enum":["a",1]}"#, #""b""#)
        try expectValid(#"{"const":{"a":1,"b":2}}"#, #"{"b":2,"a":1}"#)
        try expectInvalid(#"{"const":5}"#, "6")
    }

    @Test func numericLimits() throws {
        try expectValid(#"{"minimum":1,"maximum":3}"#, "3")
        try expectInvalid(#"{"maximum":3}"#, "3.5")
        try expectInvalid(#"{"minimum":1}"#, "0")
        try expectInvalid(#"{"exclusiveMaximum":3}"#, "3")
        try expectInvalid(#"{"exclusiveMinimum":1}"#, "1")
        try expectValid(#"{"multipleOf":0.1}"#, "0.3")
        try expectInvalid(#"{"multipleOf":2}"#, "7")
        // draft-04 boolean exclusive flags
        try expectInvalid(#"{"$schema":"http://json-schema.org/draft-04/schema#","maximum":3,"exclusiveMaximum":true}"#, "3")
    }

    @Test func stringLimitsCountCodePoints() throws {
        try expectValid(#"{"maxLength":2}"#, #""😀😀""#)
        try expectInvalid(#"{"maxLength":2}"#, #""abc""#)
        try expectInvalid(#"{"minLength":2}"#, #""😀""#)
        try expectValid(#"{"pattern":"^[a-z]+$"}"#, #""abc""#)
        try expectInvalid(#"{"pattern":"^[a-z]+$"}"#, #""ab1""#)
        try expectValid(#"{"pattern":"b"}"#, #""abc""#) // unanchored
        try expectValid(#"{"format":"email"}"#, #""not an email""#) // annotation only
    }

    @Test func draft07Items() throws {
        let tuple = #"{"items":[{"type":"string"},{"type":"number"}],"additionalItems":false}"#
        try expectValid(tuple, #"["a",1]"#)
        try expectInvalid(tuple, #"["a",1,2]"#)
        try expectInvalid(tuple, #"[1]"#)
        try expectValid(#"{"items":{"type":"number"}}"#, "[1,2]")
        try expectInvalid(#"{"items":{"type":"number"}}"#, #"[1,"x"]"#)
        try expectValid(#"{"minItems":1,"maxItems":2}"#, "[1]")
        try expectInvalid(#"{"maxItems":1}"#, "[1,2]")
        try expectInvalid(#"{"uniqueItems":true}"#, "[1,1.0]")
        try expectValid(#"{"uniqueItems":true}"#, #"[{"a":1},{"a":2}]"#)
    }

    @Test func containsWithLimits() throws {
        let schema = #"{"$schema":"https://json-schema.org/draft/2020-12/schema","contains":{"type":"string"},"minContains":2,"maxContains":3}"#
        try expectValid(schema, #"["a","b",1]"#)
        try expectInvalid(schema, #"["a",1]"#)
        try expectInvalid(schema, #"["a","b","c","d"]"#)
        try expectInvalid(#"{"contains":{"const":1}}"#, "[2,3]")
    }

    @Test func prefixItems2020() throws {
        let schema = #"{"$schema":"https://json-schema.org/draft/2020-12/schema","prefixItems":[{"type":"string"}],"items":{"type":"number"}}"#
        try expectValid(schema, #"["a",1,2]"#)
        try expectInvalid(schema, #"[1]"#)
        try expectInvalid(schema, #"["a","b"]"#)
        let closed = #"{"$schema":"https://json-schema.org/draft/2020-12/schema","prefixItems":[true],"items":false}"#
        try expectInvalid(closed, "[1,2]")
    }

    @Test func objectKeywords() throws {
        let schema = #"{"properties":{"a":{"type":"string"}},"patternProperties":{"^n_":{"type":"number"}},"additionalProperties":false,"required":["a"]}"#
        try expectValid(schema, #"{"a":"x","n_1":3}"#)
        try expectInvalid(schema, #"{"a":"x","n_1":"y"}"#)
        try expectInvalid(schema, #"{"a":"x","other":1}"#)
        try expectInvalid(schema, #"{"n_1":1}"#)
        try expectInvalid(#"{"propertyNames":{"maxLength":2}}"#, #"{"abc":1}"#)
        try expectInvalid(#"{"minProperties":1}"#, "{}")
        try expectInvalid(#"{"maxProperties":1}"#, #"{"a":1,"b":2}"#)
        try expectValid(#"{"additionalProperties":{"type":"number"}}"#, #"{"a":1}"#)
    }

    @Test func dependencies() throws {
        try expectInvalid(#"{"dependentRequired":{"card":["billing"]}}"#, #"{"card":1}"#)
        try expectValid(#"{"dependentRequired":{"card":["billing"]}}"#, #"{"billing":1}"#)
        try expectInvalid(#"{"dependentSchemas":{"card":{"required":["cvv"]}}}"#, #"{"card":1}"#)
        try expectInvalid(#"{"dependencies":{"card":["billing"]}}"#, #"{"card":1}"#)
        try expectInvalid(#"{"dependencies":{"card":{"required":["cvv"]}}}"#, #"{"card":1}"#)
    }

    @Test func combinators() throws {
        try expectValid(#"{"allOf":[{"minimum":1},{"maximum":3}]}"#, "2")
        try expectInvalid(#"{"allOf":[{"minimum":1},{"maximum":3}]}"#, "4")
        try expectValid(#"{"anyOf":[{"type":"string"},{"type":"null"}]}"#, "null")
        try expectInvalid(#"{"anyOf":[{"type":"string"},{"type":"null"}]}"#, "1")
        try expectValid(#"{"oneOf":[{"type":"integer"},{"minimum":5}]}"#, "1")
        try expectInvalid(#"{"oneOf":[{"type":"integer"},{"minimum":5}]}"#, "6")
        try expectValid(#"{"not":{"type":"string"}}"#, "1")
        try expectInvalid(#"{"not":{"type":"string"}}"#, #""s""#)
    }

    @Test func ifThenElse() throws {
        let schema = #"{"if":{"properties":{"kind":{"const":"card"}}},"then":{"required":["pan"]},"else":{"required":["iban"]}}"#
        try expectValid(schema, #"{"kind":"card","pan":"4111"}"#)
        try expectInvalid(schema, #"{"kind":"card"}"#)
        try expectValid(schema, #"{"kind":"sepa","iban":"DE00"}"#)
        try expectInvalid(schema, #"{"kind":"sepa"}"#)
    }

    @Test func unevaluatedProperties2020() throws {
        let schema = #"""
        {"$schema":"https://json-schema.org/draft/2020-12/schema",
         "allOf":[{"properties":{"a":true}}],
         "anyOf":[{"properties":{"b":true}, "required":["b"]},{"properties":{"c":true}}],
         "unevaluatedProperties":false}
        """#
        try expectValid(schema, #"{"a":1,"b":2}"#)
        try expectValid(schema, #"{"a":1,"c":2}"#)
        try expectInvalid(schema, #"{"a":1,"d":2}"#)
        // draft-07 ignores the 2020-12 keyword
        try expectValid(#"{"unevaluatedProperties":false}"#, #"{"x":1}"#)
    }

    @Test func unevaluatedItems2020() throws {
        let schema = #"""
        {"$schema":"https://json-schema.org/draft/2020-12/schema",
         "$ref":"#/$defs/head", "unevaluatedItems":false,
         "$defs":{"head":{"prefixItems":[{"type":"string"}]}}}
        """#
        try expectValid(schema, #"["a"]"#)
        try expectInvalid(schema, #"["a",1]"#)
        let withContains = #"{"$schema":"https://json-schema.org/draft/2020-12/schema","contains":{"type":"number"},"unevaluatedItems":{"type":"string"}}"#
        try expectValid(withContains, #"[1,"a",2]"#)
        try expectInvalid(withContains, #"[1,true]"#)
    }

    @Test func rawPayloadBytes() throws {
        let schema = try JSONSchema(parsing: #"{"type":"object","required":["id"]}"#)
        #expect(schema.validate(payload: Array(#"{"id":1}"#.utf8)).isEmpty)
        #expect(!schema.validate(payload: Array("{}".utf8)).isEmpty)
        #expect(schema.validate(payload: Array("{not json".utf8)).count == 1)
        #expect(schema.validate(payload: [0xFF, 0xFE]).count == 1)
    }

    @Test func errorsNameTheInstanceLocation() throws {
        let e = try errors(#"{"properties":{"amount":{"type":"number"}}}"#, #"{"amount":"x"}"#)
        #expect(e.count == 1)
        #expect(e.first?.hasPrefix("$/amount:") == true)
    }
}
