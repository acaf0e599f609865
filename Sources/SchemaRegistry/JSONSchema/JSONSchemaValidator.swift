import Foundation

/// Evaluates a ``JSONSchemaDocument`` against an instance, collecting errors and
/// the annotations `unevaluatedProperties` / `unevaluatedItems` need.
struct JSONSchemaValidator {
    /// Bound on nested schema applications (each `$ref`, combinator or child counts).
    static let maxDepth = 300

    /// What one schema application produced.
    struct Outcome {
        var errors: [String] = []
        /// Property names evaluated at this instance location (successful branches only).
        var evaluatedProperties: Set<String> = []
        /// Array indices evaluated at this instance location.
        var evaluatedItems: IndexSet = []
        var isValid: Bool { errors.isEmpty }

        mutating func merge(annotationsOf other: Outcome) {
            evaluatedProperties.formUnion(other.evaluatedProperties)
            evaluatedItems.formUnion(other.evaluatedItems)
        }
    }

    let document: JSONSchemaDocument
    /// (schema pointer, instance path) pairs on the stack, to catch `$ref` loops
    /// that would re-apply a schema to the same instance forever.
    private var active: Set<String> = []
    private var depth = 0

    init(document: JSONSchemaDocument) {
        self.document = document
    }

    mutating func validate(_ instance: JSONValue) -> [String] {
        evaluate(document.root, at: "", instance, path: "$").errors
    }

    private var modern: Bool { document.dialect == .modern }

    // MARK: - Schema application

    private mutating func evaluate(_ schema: JSONValue, at pointer: String, _ instance: JSONValue, path: String) -> Outcome {
        switch schema {
        case .bool(true): return Outcome()
        case .bool(false): return Outcome(errors: ["\(path): no value is allowed here (schema false)"])
        case .object: break
        default: return Outcome(errors: ["\(path): invalid schema at #\(pointer)"])
        }
        let key = pointer + "\u{0}" + path
        if active.contains(key) {
            return Outcome(errors: ["\(path): circular $ref at #\(pointer)"])
        }
        guard depth < Self.maxDepth else {
            return Outcome(errors: ["\(path): schema evaluation exceeds \(Self.maxDepth) nested levels"])
        }
        active.insert(key)
        depth += 1
        defer {
            active.remove(key)
            depth -= 1
        }

        var out = Outcome()
        if let ref = schema["$ref"]?.stringValue {
            applyRef(ref, from: pointer, instance, path: path, into: &out)
            if !modern { return out } // siblings of $ref are ignored before 2019-09
        }
        checkGeneric(schema, instance, path: path, into: &out)
        checkCombinators(schema, at: pointer, instance, path: path, into: &out)
        switch instance {
        case .number(let value, _):
            checkNumber(schema, value, instance, path: path, into: &out)
        case .string(let s):
            checkString(schema, s, path: path, into: &out)
        case .array(let items):
            checkArray(schema, at: pointer, items, path: path, into: &out)
        case .object(let members):
            checkObject(schema, at: pointer, members, path: path, into: &out)
        default:
            break
        }
        return out
    }

    private mutating func applyRef(_ ref: String, from pointer: String, _ instance: JSONValue, path: String, into out: inout Outcome) {
        guard let target = document.resolve(ref, base: document.base(at: pointer)),
              let schema = document.value(at: target) else {
            out.errors.append("\(path): unresolvable $ref '\(ref)'")
            return
        }
        let result = evaluate(schema, at: target, instance, path: path)
        out.errors += result.errors
        if result.isValid { out.merge(annotationsOf: result) }
    }

    private mutating func sub(_ schema: JSONValue, _ pointer: String, _ key: String, _ instance: JSONValue, path: String) -> Outcome {
        evaluate(schema, at: pointer + "/" + JSONSchemaDocument.escape(key), instance, path: path)
    }

    // MARK: - Any type

    private func checkGeneric(_ schema: JSONValue, _ instance: JSONValue, path: String, into out: inout Outcome) {
        if let type = schema["type"] {
            let names = type.stringValue.map { [$0] } ?? (type.arrayValue ?? []).compactMap(\.stringValue)
            if !names.contains(where: { Self.instance(instance, hasType: $0) }) {
                out.errors.append("\(path): expected \(names.joined(separator: " or ")), found \(instance.typeName)")
            }
        }
        if let values = schema["enum"]?.arrayValue, !values.contains(instance) {
            out.errors.append("\(path): value is not one of the enum values")
        }
        if let constant = schema["const"], constant != instance {
            out.errors.append("\(path): value does not equal const \(constant.serialized())")
        }
    }

    static func instance(_ instance: JSONValue, hasType type: String) -> Bool {
        switch (type, instance) {
        case ("null", .null), ("boolean", .bool), ("number", .number), ("string", .string),
             ("array", .array), ("object", .object):
            return true
        case ("integer", .number(let value, _)):
            return value.isFinite && value == value.rounded()
        default:
            return false
        }
    }

    private mutating func checkCombinators(_ schema: JSONValue, at pointer: String, _ instance: JSONValue, path: String, into out: inout Outcome) {
        if let list = schema["allOf"]?.arrayValue {
            for (i, s) in list.enumerated() {
                let r = sub(s, pointer + "/allOf", "\(i)", instance, path: path)
                out.errors += r.errors
                if r.isValid { out.merge(annotationsOf: r) }
            }
        }
        if let list = schema["anyOf"]?.arrayValue {
            var any = false
            for (i, s) in list.enumerated() {
                // Every branch is evaluated: unevaluated* needs the annotations of all that pass.
                let r = sub(s, pointer + "/anyOf", "\(i)", instance, path: path)
                if r.isValid {
                    any = true
                    out.merge(annotationsOf: r)
                }
            }
            if !any { out.errors.append("\(path): value matches none of anyOf") }
        }
        if let list = schema["oneOf"]?.arrayValue {
            var passing: [Int] = []
            for (i, s) in list.enumerated() {
                let r = sub(s, pointer + "/oneOf", "\(i)", instance, path: path)
                if r.isValid {
                    passing.append(i)
                    out.merge(annotationsOf: r)
                }
            }
            if passing.count != 1 {
                out.errors.append("\(path): value matches \(passing.count) of oneOf (exactly one required)")
            }
        }
        if let notSchema = schema["not"] {
            if sub(notSchema, pointer, "not", instance, path: path).isValid {
                out.errors.append("\(path): value must not match the 'not' schema")
            }
        }
        if let ifSchema = schema["if"] {
            let condition = sub(ifSchema, pointer, "if", instance, path: path)
            let branch = condition.isValid ? "then" : "else"
            if condition.isValid { out.merge(annotationsOf: condition) }
            if let branchSchema = schema[branch] {
                let r = sub(branchSchema, pointer, branch, instance, path: path)
                out.errors += r.errors
                if r.isValid { out.merge(annotationsOf: r) }
            }
        }
    }

    // MARK: - Numbers and strings

    private func checkNumber(_ schema: JSONValue, _ value: Double, _ instance: JSONValue, path: String, into out: inout Outcome) {
        let draft4 = document.dialect == .draft4
        if let max = schema["maximum"]?.doubleValue {
            let exclusive = draft4 && schema["exclusiveMaximum"]?.boolValue == true
            if exclusive ? !(value < max) : !(value <= max) {
                out.errors.append("\(path): \(instance) exceeds maximum \(max)")
            }
        }
        if let min = schema["minimum"]?.doubleValue {
            let exclusive = draft4 && schema["exclusiveMinimum"]?.boolValue == true
            if exclusive ? !(value > min) : !(value >= min) {
                out.errors.append("\(path): \(instance) is below minimum \(min)")
            }
        }
        if let max = schema["exclusiveMaximum"]?.doubleValue, !(value < max) {
            out.errors.append("\(path): \(instance) is not below exclusiveMaximum \(max)")
        }
        if let min = schema["exclusiveMinimum"]?.doubleValue, !(value > min) {
            out.errors.append("\(path): \(instance) is not above exclusiveMinimum \(min)")
        }
        if let divisor = schema["multipleOf"], let d = divisor.doubleValue, d > 0,
           !Self.isMultiple(instance, of: divisor, value: value, divisor: d) {
            out.errors.append("\(path): \(instance) is not a multiple of \(divisor)")
        }
    }

    /// Exact decimal arithmetic where the literals allow it (0.3 is a multiple of 0.1), else floating point.
    private static func isMultiple(_ instance: JSONValue, of divisor: JSONValue, value: Double, divisor d: Double) -> Bool {
        if let a = ScaledDecimal(instance), let b = ScaledDecimal(divisor), a.scale < 40, b.scale < 40 {
            return a.isMultiple(of: b) || a.isZero
        }
        let q = value / d
        return q.isFinite && q == q.rounded()
    }

    private func checkString(_ schema: JSONValue, _ s: String, path: String, into out: inout Outcome) {
        // Lengths count Unicode code points, as JSON Schema specifies (not UTF-16 units or graphemes).
        let length = s.unicodeScalars.count
        if let max = schema["maxLength"]?.doubleValue, Double(length) > max {
            out.errors.append("\(path): string is longer than maxLength \(Int(max))")
        }
        if let min = schema["minLength"]?.doubleValue, Double(length) < min {
            out.errors.append("\(path): string is shorter than minLength \(Int(min))")
        }
        if let pattern = schema["pattern"]?.stringValue {
            if JSONSchemaRegex.compiled(pattern) == nil {
                out.errors.append("\(path): pattern '\(pattern)' is not a valid regular expression")
            } else if !JSONSchemaRegex.find(pattern, in: s) {
                out.errors.append("\(path): string does not match pattern '\(pattern)'")
            }
        }
        // `format` is an annotation only.
    }

    // MARK: - Arrays

    private mutating func checkArray(_ schema: JSONValue, at pointer: String, _ items: [JSONValue], path: String, into out: inout Outcome) {
        if let max = schema["maxItems"]?.doubleValue, Double(items.count) > max {
            out.errors.append("\(path): array has more than maxItems \(Int(max)) items")
        }
        if let min = schema["minItems"]?.doubleValue, Double(items.count) < min {
            out.errors.append("\(path): array has fewer than minItems \(Int(min)) items")
        }
        if schema["uniqueItems"]?.boolValue == true {
            var seen = Set<String>()
            for (i, item) in items.enumerated() where !seen.insert(Self.equalityKey(item)).inserted {
                out.errors.append("\(path)/\(i): duplicate item (uniqueItems)")
                break
            }
        }

        // Positional schemas: 2020-12 prefixItems + items; draft-07 items[] + additionalItems.
        var tuple: [JSONValue]? = nil
        var tupleKeyword = ""
        var rest: JSONValue? = nil
        var restKeyword = ""
        if modern {
            if let prefix = schema["prefixItems"]?.arrayValue { tuple = prefix; tupleKeyword = "prefixItems" }
            if let items = schema["items"] { rest = items; restKeyword = "items" }
        } else if let items = schema["items"] {
            if let list = items.arrayValue {
                tuple = list; tupleKeyword = "items"
                if let additional = schema["additionalItems"] { rest = additional; restKeyword = "additionalItems" }
            } else {
                rest = items; restKeyword = "items"
            }
        }
        let tupleCount = min(tuple?.count ?? 0, items.count)
        for i in 0..<tupleCount {
            let r = evaluate(tuple![i], at: pointer + "/\(tupleKeyword)/\(i)", items[i], path: "\(path)/\(i)")
            out.errors += r.errors
            out.evaluatedItems.insert(i)
        }
        if let rest {
            for i in tupleCount..<max(tupleCount, items.count) {
                let r = sub(rest, pointer, restKeyword, items[i], path: "\(path)/\(i)")
                out.errors += r.errors
                out.evaluatedItems.insert(i)
            }
        }

        if let contains = schema["contains"] {
            var matches = 0
            for (i, item) in items.enumerated() where sub(contains, pointer, "contains", item, path: "\(path)/\(i)").isValid {
                matches += 1
                out.evaluatedItems.insert(i)
            }
            let minContains = schema["minContains"]?.doubleValue ?? 1
            if Double(matches) < minContains {
                out.errors.append("\(path): array contains \(matches) matching items, fewer than \(Int(minContains))")
            }
            if let maxContains = schema["maxContains"]?.doubleValue, Double(matches) > maxContains {
                out.errors.append("\(path): array contains \(matches) matching items, more than maxContains \(Int(maxContains))")
            }
        }

        if modern, let uneval = schema["unevaluatedItems"] {
            // Annotations of in-place applicators ($ref, allOf, …) are already merged into `out`.
            for i in items.indices where !out.evaluatedItems.contains(i) {
                let r = sub(uneval, pointer, "unevaluatedItems", items[i], path: "\(path)/\(i)")
                out.errors += r.errors
                out.evaluatedItems.insert(i)
            }
        }
    }

    /// A key equal for JSON-equal values (numbers by value, objects regardless of key order).
    static func equalityKey(_ value: JSONValue) -> String {
        switch value {
        case .null: return "n"
        case .bool(let b): return b ? "t" : "f"
        case .number(let d, let literal):
            if let i = value.int64Value { return "#\(i)" }
            if d.isFinite, d == d.rounded(), abs(d) < 9e18 { return "#\(Int64(d))" }
            return d.isFinite ? "#\(d)" : "#" + literal
        case .string(let s): return "s" + s.debugDescription
        case .array(let items): return "[" + items.map(equalityKey).joined(separator: ",") + "]"
        case .object(let members):
            var last: [String: JSONValue] = [:]
            for (k, v) in members { last[k] = v }
            return "{" + last.keys.sorted().map { $0.debugDescription + ":" + equalityKey(last[$0]!) }.joined(separator: ",") + "}"
        }
    }

    // MARK: - Objects

    private mutating func checkObject(_ schema: JSONValue, at pointer: String, _ members: [(key: String, value: JSONValue)], path: String, into out: inout Outcome) {
        // Later duplicates win, as in lookups.
        var object: [String: JSONValue] = [:]
        var names: [String] = []
        for (k, v) in members {
            if object.updateValue(v, forKey: k) == nil { names.append(k) }
        }
        func memberPath(_ name: String) -> String { path + "/" + JSONSchemaDocument.escape(name) }

        if let max = schema["maxProperties"]?.doubleValue, Double(names.count) > max {
            out.errors.append("\(path): object has more than maxProperties \(Int(max)) properties")
        }
        if let min = schema["minProperties"]?.doubleValue, Double(names.count) < min {
            out.errors.append("\(path): object has fewer than minProperties \(Int(min)) properties")
        }
        for name in (schema["required"]?.arrayValue ?? []).compactMap(\.stringValue) where object[name] == nil {
            out.errors.append("\(path): missing required property '\(name)'")
        }

        var matched = Set<String>()
        if let props = schema["properties"]?.objectValue {
            for (name, propSchema) in props {
                guard let value = object[name] else { continue }
                let r = sub(propSchema, pointer + "/properties", name, value, path: memberPath(name))
                out.errors += r.errors
                matched.insert(name)
            }
        }
        if let patterns = schema["patternProperties"]?.objectValue {
            for (pattern, patternSchema) in patterns {
                for name in names where JSONSchemaRegex.find(pattern, in: name) {
                    let r = sub(patternSchema, pointer + "/patternProperties", pattern, object[name]!, path: memberPath(name))
                    out.errors += r.errors
                    matched.insert(name)
                }
            }
        }
        out.evaluatedProperties.formUnion(matched)
        if let additional = schema["additionalProperties"] {
            for name in names where !matched.contains(name) {
                if additional == .bool(false) {
                    out.errors.append("\(memberPath(name)): property '\(name)' is not allowed (additionalProperties)")
                } else {
                    out.errors += sub(additional, pointer, "additionalProperties", object[name]!, path: memberPath(name)).errors
                }
                out.evaluatedProperties.insert(name)
            }
        }
        if let nameSchema = schema["propertyNames"] {
            for name in names {
                let r = sub(nameSchema, pointer, "propertyNames", .string(name), path: memberPath(name))
                if !r.isValid { out.errors.append("\(memberPath(name)): property name '\(name)' is not allowed (propertyNames)") }
            }
        }
        for keyword in ["dependencies", "dependentRequired", "dependentSchemas"] {
            guard let deps = schema[keyword]?.objectValue else { continue }
            for (name, dep) in deps where object[name] != nil {
                if let list = dep.arrayValue {
                    for needed in list.compactMap(\.stringValue) where object[needed] == nil {
                        out.errors.append("\(path): property '\(name)' requires property '\(needed)'")
                    }
                } else {
                    let r = sub(dep, pointer + "/" + keyword, name, .object(members), path: path)
                    out.errors += r.errors
                    if r.isValid { out.merge(annotationsOf: r) }
                }
            }
        }
        if modern, let uneval = schema["unevaluatedProperties"] {
            for name in names where !out.evaluatedProperties.contains(name) {
                if uneval == .bool(false) {
                    out.errors.append("\(memberPath(name)): property '\(name)' is not allowed (unevaluatedProperties)")
                } else {
                    out.errors += sub(uneval, pointer, "unevaluatedProperties", object[name]!, path: memberPath(name)).errors
                }
                out.evaluatedProperties.insert(name)
            }
        }
    }
}
