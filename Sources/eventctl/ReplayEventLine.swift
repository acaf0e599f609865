import Foundation
import Kafka

/// One event as a line of JSON for `eventctl replay --format json`:
///
/// `{"topic":…,"partition":…,"offset":…,"timestamp":<ms>|null,"key":…,"headers":[{"key":…,"value":…}],"value":…}`
///
/// "Decoded" values: a value that is a JSON object or array is embedded as JSON (re-encoded
/// on one line); other UTF-8 is a string; anything else is base64 and flagged with
/// `"valueEncoding":"base64"` (likewise `keyEncoding` and per-header `encoding`). Null stays null.
enum ReplayEventLine {
    static func render(_ message: KafkaConsumerMessage) -> String {
        var fields: [(String, String)] = [
            ("topic", json(message.topic)),
            ("partition", String(message.partition)),
            ("offset", String(message.offset)),
            ("timestamp", message.timestamp.map { String(ReplayEventLine.milliseconds($0)) } ?? "null"),
        ]
        let (key, keyBase64) = text(message.key)
        fields.append(("key", key))
        if keyBase64 { fields.append(("keyEncoding", json("base64"))) }
        let headers = message.headers.map { header -> String in
            let (value, base64) = text(header.value)
            return "{\"key\":\(json(header.key)),\"value\":\(value)\(base64 ? ",\"encoding\":\"base64\"" : "")}"
        }
        fields.append(("headers", "[" + headers.joined(separator: ",") + "]"))
        let (value, valueBase64) = decodedValue(message.value)
        fields.append(("value", value))
        if valueBase64 { fields.append(("valueEncoding", json("base64"))) }
        return "{" + fields.map { "\(json($0.0)):\($0.1)" }.joined(separator: ",") + "}"
    }

    /// Milliseconds since the epoch, as the record carried them.
    static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    private static func decodedValue(_ bytes: [UInt8]?) -> (String, Bool) {
        if let bytes, let first = bytes.first(where: { !$0.isASCIIWhitespace }), first == UInt8(ascii: "{") || first == UInt8(ascii: "["),
           let object = try? JSONSerialization.jsonObject(with: Data(bytes)),
           let line = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) {
            return (String(decoding: line, as: UTF8.self), false)
        }
        return text(bytes)
    }

    /// A JSON string of UTF-8 bytes, or of their base64 (second element true) when they are not UTF-8.
    private static func text(_ bytes: [UInt8]?) -> (String, Bool) {
        guard let bytes else { return ("null", false) }
        if let string = String(validating: bytes, as: UTF8.self) { return (json(string), false) }
        return (json(Data(bytes).base64EncodedString()), true)
    }

    private static func json(_ string: String) -> String {
        let data = try! JSONSerialization.data(withJSONObject: string, options: [.fragmentsAllowed, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }
}

private extension UInt8 {
    var isASCIIWhitespace: Bool { self == 0x20 || self == 0x09 || self == 0x0A || self == 0x0D }
}
