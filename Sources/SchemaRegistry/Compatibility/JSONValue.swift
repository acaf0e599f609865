/// A parsed JSON document that, unlike `JSONSerialization`, keeps object keys in
/// document order (Avro's record field order is significant) and keeps each
/// number's literal text (so `1` and `1.0`, or 64-bit integers beyond 2^53, stay
/// distinguishable).
///
/// Match numbers with `case .number(let value, _)`; build them with
/// `.number(3)` (the literal is then derived from the value) or
/// `.number(3, literal: "3")`.
public enum JSONValue: Sendable {
    case null
    case bool(Bool)
    /// A number: its value as a `Double`, and its literal text as written.
    case number(Double, literal: String)
    case string(String)
    case array([JSONValue])
    /// An object's members in document order. Duplicate keys are kept as written;
    /// lookups (``subscript(_:)``) see the last one, as Jackson does.
    case object([(key: String, value: JSONValue)])

    /// A number whose literal text is derived from `value` (integral values print without a fraction).
    public static func number(_ value: Double) -> JSONValue {
        .number(value, literal: JSONValue.literal(for: value))
    }

    /// A number from an integer, with its exact literal text.
    public static func integer(_ value: Int64) -> JSONValue {
        .number(Double(value), literal: String(value))
    }

    /// Parses one JSON document (RFC 8259; surrounding whitespace allowed, nothing else).
    ///
    /// - Throws: ``SchemaError`` naming the byte offset of the first problem.
    public static func parse(_ text: String) throws -> JSONValue {
        var parser = JSONParser(bytes: Array(text.utf8))
        return try parser.parseDocument()
    }

    /// Serializes compactly (no insignificant whitespace), keys in stored order
    /// unless `sortedKeys`. Numbers are written with their literal text.
    public func serialized(sortedKeys: Bool = false) -> String {
        var out = ""
        write(to: &out, sortedKeys: sortedKeys)
        return out
    }

    private static func literal(for value: Double) -> String {
        if value.isFinite, value == value.rounded(), abs(value) < 9_007_199_254_740_992 {
            return String(Int64(value))
        }
        return "\(value)"
    }
}

// MARK: - Accessors

extension JSONValue {
    /// The member named `key` of an object (the last one if repeated); `nil` otherwise.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.last(where: { $0.key == key })?.value
    }

    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    public var doubleValue: Double? {
        if case .number(let d, _) = self { return d }
        return nil
    }

    /// The number's literal text, when this is a number.
    public var numberLiteral: String? {
        if case .number(_, let literal) = self { return literal }
        return nil
    }

    /// The exact integer value, when this number was written as an integer
    /// (no fraction or exponent) that fits in 64 bits — Jackson's `canConvertToLong`
    /// on an integral node.
    public var int64Value: Int64? {
        guard case .number(_, let literal) = self else { return nil }
        return Int64(literal)
    }

    /// Whether this number was written without fraction or exponent (Jackson's `isIntegralNumber`).
    public var isIntegerLiteral: Bool {
        guard case .number(_, let literal) = self else { return false }
        return !literal.contains(where: { $0 == "." || $0 == "e" || $0 == "E" })
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    public var objectValue: [(key: String, value: JSONValue)]? {
        if case .object(let o) = self { return o }
        return nil
    }

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// A short name of the JSON type, for error messages.
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .number: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }
}

// MARK: - Equality

extension JSONValue: Equatable {
    /// JSON equality: numbers compare by value (exactly, for integer literals
    /// beyond `Double` precision), objects compare as unordered maps (last
    /// duplicate wins), arrays element by element.
    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null):
            return true
        case (.bool(let a), .bool(let b)):
            return a == b
        case (.number(let a, _), .number(let b, _)):
            if let x = lhs.int64Value, let y = rhs.int64Value { return x == y }
            return a == b
        case (.string(let a), .string(let b)):
            return a == b
        case (.array(let a), .array(let b)):
            return a == b
        case (.object(let a), .object(let b)):
            var left: [String: JSONValue] = [:]
            for (k, v) in a { left[k] = v }
            var right: [String: JSONValue] = [:]
            for (k, v) in b { right[k] = v }
            return left == right
        default:
            return false
        }
    }
}

// MARK: - Serialization

extension JSONValue: CustomStringConvertible {
    public var description: String { serialized() }

    private func write(to out: inout String, sortedKeys: Bool) {
        switch self {
        case .null:
            out += "null"
        case .bool(let b):
            out += b ? "true" : "false"
        case .number(_, let literal):
            out += literal
        case .string(let s):
            JSONValue.writeString(s, to: &out)
        case .array(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                item.write(to: &out, sortedKeys: sortedKeys)
            }
            out += "]"
        case .object(let members):
            out += "{"
            let ordered = sortedKeys ? members.sorted(by: { $0.key < $1.key }) : members
            for (i, member) in ordered.enumerated() {
                if i > 0 { out += "," }
                JSONValue.writeString(member.key, to: &out)
                out += ":"
                member.value.write(to: &out, sortedKeys: sortedKeys)
            }
            out += "}"
        }
    }

    /// Writes `s` as a JSON string literal, escaping only what RFC 8259 requires.
    static func writeString(_ s: String, to out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}
