import Testing
@testable import SchemaRegistry

/// `$ref` resolution, recursion, malformed schemas and hostile nesting.
@Suite struct JSONSchemaReferenceTests {
    @Test func localPointerAndDefinitions() throws {
        let schema = try JSONSchema(parsing: #"""
        {"properties":{"amount":{"$ref":"#/definitions/money"},"fee":{"$ref":"#/$defs/money"}},
         "definitions":{"money":{"type":"number","minimum":0}},
         "$defs":{"money":{"type":"number","minimum":0}}}
        """#)
        #expect(schema.isValid(try JSONValue.parse(#"{"amount":1,"fee":2}"#)))
        #expect(!schema.isValid(try JSONValue.parse(#"{"amount":-1}"#)))
        #expect(!schema.isValid(try JSONValue.parse(#"{"fee":"x"}"#)))
    }

    @Test func idRelativeReferencesAndAnchors() throws {
        let schema = try JSONSchema(parsing: #"""
        {"$schema":"https://json-schema.org/draft/2020-12/schema",
         "$id":"https://example.com/root.json",
         "properties":{"a":{"$ref":"item.json"},"b":{"$ref":"#pos"}},
         "$defs":{"item":{"$id":"item.json","type":"string"},
                  "pos":{"$anchor":"pos","minimum":0}}}
        """#)
        #expect(schema.isValid(try JSONValue.parse(#"{"a":"x","b":1}"#)))
        #expect(!schema.isValid(try JSONValue.parse(#"{"a":1}"#)))
        #expect(!schema.isValid(try JSONValue.parse(#"{"b":-1}"#)))
    }

    @Test func recursiveSchemaValidatesTrees() throws {
        let schema = try JSONSchema(parsing: #"""
        {"type":"object","properties":{"value":{"type":"number"},
          "children":{"type":"array","items":{"$ref":"#"}}}}
        """#)
        #expect(schema.isValid(try JSONValue.parse(#"{"value":1,"children":[{"value":2,"children":[]}]}"#)))
        #expect(!schema.isValid(try JSONValue.parse(#"{"children":[{"value":"x"}]}"#)))
    }

    @Test func selfReferenceLoopIsAnErrorNotATrap() throws {
        let schema = try JSONSchema(parsing: ##"{"$defs":{"a":{"$ref":"#/$defs/b"},"b":{"$ref":"#/$defs/a"}},"$ref":"#/$defs/a"}"##)
        let errors = schema.validate(.number(1))
        #expect(!errors.isEmpty)
    }

    @Test func deeplyNestedPayloadHitsTheDepthLimitCleanly() throws {
        let schema = try JSONSchema(parsing: ##"{"$ref":"#/$defs/node","$defs":{"node":{"type":"array","items":{"$ref":"#/$defs/node"}}}}"##)
        // Within the JSON parser's limit, but deeper than the evaluator allows.
        let depth = 400
        let payload = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        let errors = schema.validate(payload: Array(payload.utf8))
        #expect(errors.contains { $0.contains("nested levels") })
        // Beyond the parser's limit: a parse error, not a crash.
        let deeper = String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000)
        #expect(schema.validate(payload: Array(deeper.utf8)).count == 1)
    }

    @Test func malformedSchemasAreRejected() {
        #expect(throws: SchemaError.self) { try JSONSchema(parsing: "{") }
        #expect(throws: SchemaError.self) { try JSONSchema(parsing: "42") }
        #expect(throws: SchemaError.self) { try JSONSchema(parsing: #"{"properties":{"a":5}}"#) }
        #expect(throws: SchemaError.self) { try JSONSchema(parsing: #"{"type":"money"}"#) }
        #expect(throws: SchemaError.self) { try JSONSchema(parsing: ##"{"$ref":"#/definitions/missing"}"##) }
        #expect(throws: SchemaError.self) { try JSONSchema(parsing: #"{"$ref":"https://example.com/remote.json"}"#) }
    }

    @Test func booleanSchemas() throws {
        #expect(try JSONSchema(parsing: "true").isValid(.null))
        #expect(try !JSONSchema(parsing: "false").isValid(.null))
    }
}
