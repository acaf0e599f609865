import Testing
@testable import SchemaRegistry

@Suite("Avro binary payload validation")
struct AvroPayloadValidationTests {
    static let everyType = try! AvroSchema(parsing: """
        {"type": "record", "name": "All", "fields": [
          {"name": "n", "type": "null"},
          {"name": "b", "type": "boolean"},
          {"name": "i", "type": "int"},
          {"name": "l", "type": "long"},
          {"name": "f", "type": "float"},
          {"name": "d", "type": "double"},
          {"name": "by", "type": "bytes"},
          {"name": "s", "type": "string"},
          {"name": "a", "type": {"type": "array", "items": "int"}},
          {"name": "m", "type": {"type": "map", "values": "string"}},
          {"name": "e", "type": {"type": "enum", "name": "E", "symbols": ["A", "B", "C"]}},
          {"name": "fx", "type": {"type": "fixed", "name": "F", "size": 3}},
          {"name": "u", "type": ["null", "long", "E"]},
          {"name": "ts", "type": {"type": "long", "logicalType": "timestamp-millis"}},
          {"name": "dec", "type": {"type": "bytes", "logicalType": "decimal", "precision": 9, "scale": 2}}
        ]}
        """)

    /// A valid encoding of ``everyType``; `arrayBlocks` picks the block style.
    static func validPayload(negativeBlockCount: Bool = false) -> [UInt8] {
        var e = AvroTestEncoder()
        e.boolean(true)
        e.int(Int32.min)
        e.long(Int64.max)
        e.float(1.5)
        e.double(-2.25)
        e.bytes([0, 255])
        e.string("héllo")
        if negativeBlockCount {
            e.long(-2)
            e.long(2)  // byte size of the block: two one-byte ints
        } else {
            e.long(2)
        }
        e.int(1)
        e.int(-1)
        e.long(0)
        e.long(1)
        e.string("k")
        e.string("v")
        e.long(0)
        e.int(2)
        e.bytes += [1, 2, 3]
        e.long(2)  // union branch E
        e.int(0)
        e.long(1_700_000_000_000)
        e.bytes([0x30, 0x39])
        return e.bytes
    }

    @Test func validPayloadsOfEveryType() throws {
        try Self.everyType.validate(payload: Self.validPayload())
        try Self.everyType.validate(payload: Self.validPayload(negativeBlockCount: true))
        try AvroSchema(parsing: "\"null\"").validate(payload: [UInt8]())
        try AvroSchema(parsing: "\"string\"").validate(payload: [0x00])
        try AvroSchema(parsing: #"{"type": "fixed", "name": "Z", "size": 0}"#).validate(payload: [UInt8]())
    }

    @Test func everyTruncationThrows() throws {
        let payload = Self.validPayload()
        for length in 0..<payload.count {
            #expect(throws: AvroPayloadError.self, "truncated to \(length)") {
                try Self.everyType.validate(payload: payload.prefix(length))
            }
        }
    }

    @Test func trailingBytesThrow() {
        #expect(throws: AvroPayloadError.self) { try Self.everyType.validate(payload: Self.validPayload() + [0]) }
    }

    static let corrupt: [(String, String, [UInt8])] = [
        ("boolean byte 2", "\"boolean\"", [2]),
        ("int varint too long", "\"int\"", [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]),
        ("int overflow in the last byte", "\"int\"", [0xFF, 0xFF, 0xFF, 0xFF, 0x7F]),
        ("long varint too long", "\"long\"", Array(repeating: 0xFF, count: 10) + [0x01]),
        ("negative string length", "\"string\"", [0x01]),
        ("huge bytes length", "\"bytes\"", [0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]),
        ("invalid UTF-8", "\"string\"", [0x02, 0xC3, 0x28]),
        ("enum index out of range", #"{"type": "enum", "name": "E", "symbols": ["A"]}"#, [0x02]),
        ("negative enum index", #"{"type": "enum", "name": "E", "symbols": ["A"]}"#, [0x01]),
        ("union index out of range", #"["null", "int"]"#, [0x04]),
        ("negative union index", #"["null", "int"]"#, [0x01]),
        ("array count beyond the payload", #"{"type": "array", "items": "int"}"#, [0xFE, 0xFF, 0xFF, 0xFF, 0x0F, 0x00]),
        ("huge zero-width array", #"{"type": "array", "items": "null"}"#, [0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 0x00]),
        ("negative block with bad size", #"{"type": "array", "items": "int"}"#, [0x01, 0x01, 0x00, 0x00]),
        ("map key not UTF-8", #"{"type": "map", "values": "null"}"#, [0x02, 0x02, 0xFF, 0x00]),
    ]

    /// Varints of one and two bytes take an inlined path, longer ones a loop: lengths and
    /// longs on both sides of each byte boundary must validate, and every cut must throw.
    @Test(arguments: [0, 1, 63, 64, 65, 8191, 8192, 8193, 1_048_576] as [Int])
    func varintsOnEveryByteBoundary(value: Int) throws {
        let schema = try AvroSchema(parsing: #"{"type": "record", "name": "R", "fields": [{"name": "b", "type": "bytes"}, {"name": "l", "type": "long"}]}"#)
        for long in [Int64(value), -Int64(value), Int64(value) << 20] {
            var e = AvroTestEncoder()
            e.bytes(Array(repeating: 1, count: value))
            e.long(long)
            try schema.validate(payload: e.bytes)
            #expect(throws: AvroPayloadError.self) { try schema.validate(payload: e.bytes.dropLast()) }
        }
        // A length one byte longer than what follows it (the bytes, then the long's one byte).
        var e = AvroTestEncoder()
        e.long(Int64(value) + 2)
        e.bytes += Array(repeating: 1, count: value)
        e.long(0)
        #expect(throws: AvroPayloadError.self) { try schema.validate(payload: e.bytes) }
    }

    @Test("corrupt payloads throw", arguments: corrupt)
    func corruptPayload(description: String, schema: String, payload: [UInt8]) throws {
        let parsed = try AvroSchema(parsing: schema)
        #expect(throws: AvroPayloadError.self, "\(description)") { try parsed.validate(payload: payload) }
    }

    static let linkedList = try! AvroSchema(parsing: """
        {"type": "record", "name": "Node", "fields": [
          {"name": "value", "type": "int"},
          {"name": "next", "type": ["null", "Node"]}
        ]}
        """)

    static func list(length: Int) -> [UInt8] {
        var e = AvroTestEncoder()
        for i in 0..<length {
            e.int(Int32(i))
            e.long(i == length - 1 ? 0 : 1)
        }
        return e.bytes
    }

    @Test func recursivePayloadsValidate() throws {
        try Self.linkedList.validate(payload: Self.list(length: 30))
    }

    @Test func deeplyNestedPayloadHitsTheDepthLimit() {
        #expect {
            try Self.linkedList.validate(payload: Self.list(length: 100_000))
        } throws: { error in
            (error as? AvroPayloadError)?.message.contains("nesting") == true
        }
    }

    @Test func randomBytesNeverTrap() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let count = Int.random(in: 0..<64, using: &generator)
            let payload = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            _ = try? Self.everyType.validate(payload: payload)
            _ = try? Self.linkedList.validate(payload: payload)
        }
    }
}
