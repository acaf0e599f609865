import Testing
@testable import SchemaRegistry

@Suite("Avro reader/writer compatibility")
struct AvroCompatibilityTests {
    func canRead(_ reader: String, _ writer: String) throws -> Bool {
        AvroCompatibility.readerCanRead(try AvroSchema(parsing: reader), writer: try AvroSchema(parsing: writer)).isEmpty
    }

    @Test func promotions() throws {
        let allowed: [(String, String)] = [
            ("long", "int"), ("float", "int"), ("double", "int"), ("float", "long"),
            ("double", "long"), ("double", "float"), ("string", "bytes"), ("bytes", "string"),
        ]
        for (reader, writer) in allowed {
            #expect(try canRead("\"\(reader)\"", "\"\(writer)\""), "\(reader) reads \(writer)")
            if reader != "string" && reader != "bytes" {
                #expect(try !canRead("\"\(writer)\"", "\"\(reader)\""), "\(writer) cannot read \(reader)")
            }
        }
        #expect(try !canRead("\"int\"", "\"string\""))
    }

    @Test func recordsMatchByNameOrAlias() throws {
        let writer = #"{"type": "record", "name": "a.R", "fields": [{"name": "x", "type": "int"}]}"#
        #expect(try canRead(#"{"type": "record", "name": "b.R", "fields": [{"name": "x", "type": "long"}]}"#, writer))
        #expect(try !canRead(#"{"type": "record", "name": "S", "fields": [{"name": "x", "type": "int"}]}"#, writer))
        #expect(try canRead(#"{"type": "record", "name": "S", "aliases": ["a.R"], "fields": [{"name": "y", "type": "int", "aliases": ["x"]}]}"#, writer))
        #expect(try !canRead(#"{"type": "record", "name": "R", "fields": [{"name": "y", "type": "int"}]}"#, writer))
        #expect(try canRead(#"{"type": "record", "name": "R", "fields": [{"name": "y", "type": "int", "default": 0}]}"#, writer))
    }

    @Test func enumsFixedUnionsAndContainers() throws {
        let ab = #"{"type": "enum", "name": "E", "symbols": ["A", "B"]}"#
        let a = #"{"type": "enum", "name": "E", "symbols": ["A"]}"#
        let aDefault = #"{"type": "enum", "name": "E", "symbols": ["A"], "default": "A"}"#
        #expect(try canRead(ab, a))
        #expect(try !canRead(a, ab))
        #expect(try canRead(aDefault, ab))
        #expect(try !canRead(#"{"type": "fixed", "name": "F", "size": 4}"#, #"{"type": "fixed", "name": "F", "size": 8}"#))
        #expect(try canRead(#"["null", "long"]"#, #"["null", "int"]"#))
        #expect(try !canRead(#"["null", "int"]"#, #"["null", "string"]"#))
        #expect(try canRead(#"["null", "string"]"#, #""string""#))
        #expect(try !canRead(#""string""#, #"["null", "string"]"#))
        #expect(try canRead(#"{"type": "array", "items": "long"}"#, #"{"type": "array", "items": "int"}"#))
        #expect(try !canRead(#"{"type": "map", "values": "int"}"#, #"{"type": "map", "values": "long"}"#))
    }

    @Test func recursiveSchemasTerminate() throws {
        let writer = #"{"type": "record", "name": "N", "fields": [{"name": "v", "type": "int"}, {"name": "next", "type": ["null", "N"]}]}"#
        let reader = #"{"type": "record", "name": "N", "fields": [{"name": "v", "type": "long"}, {"name": "next", "type": ["null", "N"]}]}"#
        #expect(try canRead(reader, writer))
        #expect(try !canRead(writer, reader))
    }

    @Test func levelsPickTheRightPairs() {
        // A history of A ← B ← C where only adjacent pairs are compatible
        // (each step adds a field with a default and removes one without).
        let a = #"{"type": "record", "name": "R", "fields": [{"name": "a", "type": "int"}]}"#
        let b = #"{"type": "record", "name": "R", "fields": [{"name": "a", "type": "int"}, {"name": "b", "type": "int", "default": 0}]}"#
        let c = #"{"type": "record", "name": "R", "fields": [{"name": "b", "type": "int"}]}"#
        #expect(AvroCompatibility.check(level: .backward, candidate: c, previous: [a, b]).isCompatible)
        #expect(!AvroCompatibility.check(level: .backwardTransitive, candidate: c, previous: [a, b]).isCompatible)
        #expect(!AvroCompatibility.check(level: .forward, candidate: c, previous: [a, b]).isCompatible)
        #expect(AvroCompatibility.check(level: .forward, candidate: b, previous: [a]).isCompatible)
        #expect(AvroCompatibility.check(level: .full, candidate: b, previous: [a]).isCompatible)
        #expect(AvroCompatibility.check(level: .none, candidate: c, previous: [a]).isCompatible)
        #expect(AvroCompatibility.check(level: .fullTransitive, candidate: a, previous: []).isCompatible)
        let broken = AvroCompatibility.check(level: .none, candidate: "{", previous: [])
        #expect(!broken.isCompatible && !broken.messages.isEmpty)
    }
}
