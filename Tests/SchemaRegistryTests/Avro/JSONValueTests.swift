import Testing
@testable import SchemaRegistry

@Suite("Order-preserving JSON")
struct JSONValueTests {
    @Test func keepsKeyOrderAndLiterals() throws {
        let value = try JSONValue.parse(#" {"z": 1, "a": [true, false, null], "m": 9007199254740993, "f": 1.0e2, "s": "\u00e9\n\ud83d\ude00"} "#)
        #expect(value.objectValue?.map(\.key) == ["z", "a", "m", "f", "s"])
        #expect(value["m"]?.int64Value == 9_007_199_254_740_993)
        #expect(value["f"]?.isIntegerLiteral == false)
        #expect(value["s"]?.stringValue == "é\n😀")
        #expect(value.serialized() == #"{"z":1,"a":[true,false,null],"m":9007199254740993,"f":1.0e2,"s":"é\n😀"}"#)
        #expect(try JSONValue.parse(value.serialized()) == value)
    }

    @Test func equalityIgnoresKeyOrderAndNumberSpelling() throws {
        #expect(try JSONValue.parse(#"{"a":1,"b":2}"#) == JSONValue.parse(#"{"b":2.0,"a":1}"#))
        #expect(try JSONValue.parse("9007199254740993") != JSONValue.parse("9007199254740992"))
        #expect(JSONValue.number(3) == .integer(3))
    }

    @Test("rejects malformed JSON", arguments: ["", "{", "[1,]", "{\"a\" 1}", "01", "1.", "-", "tru", "\"\\x\"", "\"a", "{\"a\":1}}", "\"\u{01}\"", "NaN"])
    func rejects(text: String) {
        #expect(throws: SchemaError.self) { try JSONValue.parse(text) }
    }
}
