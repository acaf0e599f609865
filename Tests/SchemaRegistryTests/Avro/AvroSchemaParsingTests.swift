import Foundation
import Testing
@testable import SchemaRegistry

@Suite("Avro schema parsing")
struct AvroSchemaParsingTests {
    @Test("primitives parse as strings and as {\"type\": …} objects", arguments: ["null", "boolean", "int", "long", "float", "double", "bytes", "string"])
    func primitives(name: String) throws {
        let bare = try AvroSchema(parsing: "\"\(name)\"")
        let object = try AvroSchema(parsing: "{\"type\": \"\(name)\"}")
        #expect(bare.canonicalForm == "\"\(name)\"")
        #expect(object.canonicalForm == bare.canonicalForm)
    }

    @Test func recordKeepsFieldOrderAndDefaults() throws {
        let schema = try AvroSchema(parsing: """
            {"type": "record", "name": "Payment", "namespace": "com.example", "doc": "d",
             "fields": [
               {"name": "zeta", "type": "long"},
               {"name": "alpha", "type": "string", "default": "x", "aliases": ["a"], "order": "descending"},
               {"name": "amount", "type": {"type": "bytes", "logicalType": "decimal", "precision": 10, "scale": 2}},
               {"name": "tags", "type": {"type": "array", "items": "string"}, "default": []},
               {"name": "meta", "type": {"type": "map", "values": "int"}, "default": {"a": 1}},
               {"name": "kind", "type": {"type": "enum", "name": "Kind", "symbols": ["A", "B"], "default": "A"}},
               {"name": "hash", "type": {"type": "fixed", "name": "Hash", "size": 32}},
               {"name": "maybe", "type": ["null", "Kind"], "default": null}
             ]}
            """)
        guard case .record(let record) = schema.root else {
            Issue.record("not a record")
            return
        }
        #expect(record.name.fullName == "com.example.Payment")
        #expect(record.fields.map(\.name) == ["zeta", "alpha", "amount", "tags", "meta", "kind", "hash", "maybe"])
        #expect(record.fields[1].order == .descending)
        #expect(record.fields[1].aliases == ["a"])
        #expect(record.fields[2].type == .logical(.decimal(precision: 10, scale: 2), .bytes))
        #expect(schema.namedTypes["com.example.Kind"] != nil)  // nested types inherit the namespace
        #expect(schema.namedTypes["com.example.Hash"] != nil)
        #expect(record.fields[7].type == .union([.null, .reference("com.example.Kind")]))
    }

    @Test func canonicalFormMatchesTheSpecification() throws {
        let schema = try AvroSchema(parsing: """
            {"namespace": "ns", "type": "record", "name": "R", "doc": "ignored", "fields": [
              {"name": "a", "type": {"type": "int", "logicalType": "date"}, "default": 1},
              {"name": "e", "type": {"type": "enum", "name": "E", "symbols": ["X"]}},
              {"name": "e2", "type": "E"},
              {"name": "f", "type": {"type": "fixed", "name": "other.F", "size": 4}}
            ]}
            """)
        #expect(schema.canonicalForm == #"{"name":"ns.R","type":"record","fields":[{"name":"a","type":"int"},{"name":"e","type":{"name":"ns.E","type":"enum","symbols":["X"]}},{"name":"e2","type":"ns.E"},{"name":"f","type":{"name":"other.F","type":"fixed","size":4}}]}"#)
    }

    @Test func fingerprintsMatchAvroReferenceValues() throws {
        // Values from Avro's test suite (CRC-64-AVRO of the canonical form).
        #expect(try AvroSchema(parsing: "\"null\"").fingerprint == 0x63DD_24E7_CC25_8F8A)
        #expect(AvroFingerprint.rabin([UInt8]()) == AvroFingerprint.empty)
        let a = try AvroSchema(parsing: #"{"type":"record","name":"R","fields":[{"name":"x","type":"int","doc":"one"}]}"#)
        let b = try AvroSchema(parsing: #"{"fields":[{"type":"int","name":"x"}],"name":"R","type":"record"}"#)
        #expect(a.fingerprint == b.fingerprint)
    }

    @Test func recursiveTypesParseThroughRecords() throws {
        let list = try AvroSchema(parsing: """
            {"type": "record", "name": "LinkedList", "fields": [
              {"name": "value", "type": "int"},
              {"name": "next", "type": ["null", "LinkedList"], "default": null}
            ]}
            """)
        #expect(list.canonicalForm == #"{"name":"LinkedList","type":"record","fields":[{"name":"value","type":"int"},{"name":"next","type":["null","LinkedList"]}]}"#)
        #expect(AvroCompatibility.readerCanRead(list, writer: list).isEmpty)
    }

    @Test func namesResolveInTheEnclosingNamespaceThenTheNullOne() throws {
        let schema = try AvroSchema(parsing: """
            {"type": "record", "name": "a.Outer", "fields": [
              {"name": "x", "type": {"type": "fixed", "name": "F", "size": 1}},
              {"name": "y", "type": "F"},
              {"name": "z", "type": "a.F"}
            ]}
            """)
        #expect(schema.namedTypes.keys.sorted() == ["a.F", "a.Outer"])
    }

    static let invalidSchemas: [(String, String)] = [
        ("malformed JSON", #"{"type": "record""#),
        ("trailing garbage", #""int" x"#),
        ("not a schema", "42"),
        ("unknown type", #""decimal""#),
        ("unknown object type", #"{"type": "integer"}"#),
        ("no type", #"{"name": "x"}"#),
        ("record without name", #"{"type": "record", "fields": []}"#),
        ("record without fields", #"{"type": "record", "name": "R"}"#),
        ("bad record name", #"{"type": "record", "name": "1R", "fields": []}"#),
        ("bad character in name", #"{"type": "record", "name": "R-x", "fields": []}"#),
        ("bad simple part of a dotted name", #"{"type": "record", "name": "a.b.1R", "fields": []}"#),
        ("bad field name", #"{"type": "record", "name": "R", "fields": [{"name": "a b", "type": "int"}]}"#),
        ("field without type", #"{"type": "record", "name": "R", "fields": [{"name": "a"}]}"#),
        ("duplicate field", #"{"type": "record", "name": "R", "fields": [{"name": "a", "type": "int"}, {"name": "a", "type": "long"}]}"#),
        ("redefined name", #"{"type": "record", "name": "R", "fields": [{"name": "a", "type": {"type": "fixed", "name": "R", "size": 1}}]}"#),
        ("undefined reference", #"{"type": "record", "name": "R", "fields": [{"name": "a", "type": "Missing"}]}"#),
        ("bad order", #"{"type": "record", "name": "R", "fields": [{"name": "a", "type": "int", "order": "sideways"}]}"#),
        ("int default is a string", #"{"type": "record", "name": "R", "fields": [{"name": "a", "type": "int", "default": "1"}]}"#),
        ("int default is fractional", #"{"type": "record", "name": "R", "fields": [{"name": "a", "type": "int", "default": 1.5}]}"#),
        ("int default overflows", #"{"type": "record", "name": "R", "fields": [{"name": "a", "type": "int", "default": 2147483648}]}"#),
        ("long default overflows", #"{"type": "record", "name": "R", "fields": [{"name": "a", "type": "long", "default": 9223372036854775808}]}"#),
        ("string default is a number", #"{"type": "record", "name": "R", "fields": [{"name": "a", "type": "string", "default": 1}]}"#),
        ("null default for string", #"{"type": "record", "name": "R", "fields": [{"name": "a", "type": "string", "default": null}]}"#),
        ("union default must fit the first branch", #"{"type": "record", "name": "R", "fields": [{"name": "a", "type": ["null", "string"], "default": "x"}]}"#),
        ("array default element", #"{"type": "record", "name": "R", "fields": [{"name": "a", "type": {"type": "array", "items": "int"}, "default": ["x"]}]}"#),
        ("record default missing field", #"{"type": "record", "name": "R", "fields": [{"name": "a", "type": {"type": "record", "name": "S", "fields": [{"name": "b", "type": "int"}]}, "default": {}}]}"#),
        ("enum without symbols", #"{"type": "enum", "name": "E"}"#),
        ("bad enum symbol", #"{"type": "enum", "name": "E", "symbols": ["A", "0B"]}"#),
        ("duplicate enum symbol", #"{"type": "enum", "name": "E", "symbols": ["A", "A"]}"#),
        ("enum default not a symbol", #"{"type": "enum", "name": "E", "symbols": ["A"], "default": "B"}"#),
        ("fixed without size", #"{"type": "fixed", "name": "F"}"#),
        ("fixed with negative size", #"{"type": "fixed", "name": "F", "size": -1}"#),
        ("fixed with fractional size", #"{"type": "fixed", "name": "F", "size": 1.5}"#),
        ("array without items", #"{"type": "array"}"#),
        ("map without values", #"{"type": "map"}"#),
        ("nested union", #"["null", ["int", "string"]]"#),
        ("duplicate union branch", #"["int", "int"]"#),
        ("two arrays in a union", #"[{"type": "array", "items": "int"}, {"type": "array", "items": "long"}]"#),
        ("two records with the same name in a union", #"[{"type": "record", "name": "R", "fields": []}, "R"]"#),
    ]

    @Test("invalid schemas are rejected", arguments: invalidSchemas)
    func invalid(description: String, text: String) {
        #expect(throws: SchemaError.self, "\(description)") { try AvroSchema(parsing: text) }
    }

    @Test func defaultsAreOnlyCheckedWhenAsked() throws {
        let text = #"{"type": "record", "name": "R", "fields": [{"name": "a", "type": "int", "default": "x"}]}"#
        #expect(throws: SchemaError.self) { try AvroSchema(parsing: text) }
        _ = try AvroSchema(parsing: text, validateDefaults: false)
    }

    @Test func validDefaultsOfEveryKind() throws {
        _ = try AvroSchema(parsing: """
            {"type": "record", "name": "R", "fields": [
              {"name": "n", "type": "null", "default": null},
              {"name": "b", "type": "boolean", "default": true},
              {"name": "i", "type": "int", "default": -2147483648},
              {"name": "l", "type": "long", "default": 9223372036854775807},
              {"name": "f", "type": "float", "default": 1.5},
              {"name": "d", "type": "double", "default": "NaN"},
              {"name": "by", "type": "bytes", "default": "\\u00ff"},
              {"name": "s", "type": "string", "default": ""},
              {"name": "u", "type": ["string", "null"], "default": "x"},
              {"name": "r", "type": {"type": "record", "name": "S", "fields": [{"name": "x", "type": "int", "default": 0}]}, "default": {}},
              {"name": "e", "type": {"type": "enum", "name": "E", "symbols": ["A"]}, "default": "A"},
              {"name": "fx", "type": {"type": "fixed", "name": "F", "size": 1}, "default": "a"}
            ]}
            """)
    }

    @Test func invalidLogicalTypesAreIgnoredLikeJava() throws {
        let schema = try AvroSchema(parsing: #"{"type": "string", "logicalType": "decimal", "precision": 4}"#)
        #expect(schema.root == .string)
        let date = try AvroSchema(parsing: #"{"type": "int", "logicalType": "date"}"#)
        #expect(date.root == .logical(.date, .int))
    }

    @Test func hugeSchemasParseInBoundedTime() throws {
        let clock = ContinuousClock()
        let fields = (0..<20_000).map { #"{"name": "f\#($0)", "type": ["null", "string"], "default": null}"# }
        let wide = #"{"type": "record", "name": "Wide", "fields": ["# + fields.joined(separator: ",") + "]}"
        let deepArrays = String(repeating: #"{"type": "array", "items": "#, count: 200) + #""int""# + String(repeating: "}", count: 200)
        let symbols = (0..<20_000).map { "\"S\($0)\"" }.joined(separator: ",")
        let bigEnum = #"{"type": "enum", "name": "Big", "symbols": ["# + symbols + "]}"
        let elapsed = try clock.measure {
            let schema = try AvroSchema(parsing: wide)
            #expect(AvroCompatibility.readerCanRead(schema, writer: schema).isEmpty)
            _ = try AvroSchema(parsing: deepArrays).canonicalForm
            _ = try AvroSchema(parsing: bigEnum).fingerprint
        }
        #expect(elapsed < .seconds(20))
        // The deepest schema the JSON parser admits goes through every recursive path safely.
        let depth = JSONParser.maxDepth - 1
        let deepest = String(repeating: #"{"type": "array", "items": "#, count: depth) + #""int""# + String(repeating: "}", count: depth)
        let deepSchema = try AvroSchema(parsing: deepest)
        #expect(deepSchema.canonicalForm.count > depth)
        #expect(AvroCompatibility.readerCanRead(deepSchema, writer: deepSchema).isEmpty)
        #expect(throws: AvroPayloadError.self) { try deepSchema.validate(payload: [UInt8](repeating: 0x02, count: depth)) }
        // Nesting beyond the JSON parser's limit is an error, not a stack overflow.
        let tooDeep = String(repeating: "[", count: 100_000)
        #expect(throws: SchemaError.self) { try AvroSchema(parsing: tooDeep) }
    }
}
