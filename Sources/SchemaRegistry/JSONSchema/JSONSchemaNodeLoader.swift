/// Builds the ``JSONSchemaNode`` graph of a document the way Confluent's loaders
/// (everit for draft-04..07, json-sKema + translation for 2019-09/2020-12) shape it.
///
/// Nodes are cached by JSON pointer, so every `$ref` to one location yields the
/// same node: recursive schemas become finite cyclic graphs and the diff's
/// identity-based cycle detection terminates.
struct JSONSchemaNodeLoader {
    /// Nesting limit for schemas; the JSON parser already bounds documents at 512 levels.
    static let maxDepth = 256

    let document: JSONSchemaDocument
    private var cache: [String: JSONSchemaNode] = [:]
    private var pendingRefs: [(node: JSONSchemaNode, target: String)] = []

    init(document: JSONSchemaDocument) {
        self.document = document
    }

    /// Loads the whole document: the root schema and everything its references reach.
    static func load(_ document: JSONSchemaDocument) throws -> JSONSchemaNode {
        var loader = JSONSchemaNodeLoader(document: document)
        let root = try loader.node(at: "", value: document.root, depth: 0)
        while let (ref, target) = loader.pendingRefs.popLast() {
            guard let value = document.value(at: target) else {
                throw SchemaError("unresolvable $ref", path: target)
            }
            ref.referred = try loader.node(at: target, value: value, depth: 0)
        }
        return root
    }

    private var dialect: JSONSchemaDocument.Dialect { document.dialect }
    private var modern: Bool { dialect == .modern }

    private mutating func node(at pointer: String, value: JSONValue, depth: Int) throws -> JSONSchemaNode {
        if let cached = cache[pointer] { return cached }
        guard depth < Self.maxDepth else {
            throw SchemaError("schema nesting exceeds \(Self.maxDepth) levels", path: pointer)
        }
        let node = try build(value, pointer: pointer, depth: depth)
        cache[pointer] = node
        return node
    }

    private mutating func child(_ value: JSONValue, _ pointer: String, _ key: String, depth: Int) throws -> JSONSchemaNode {
        try node(at: pointer + "/" + JSONSchemaDocument.escape(key), value: value, depth: depth + 1)
    }

    private mutating func build(_ value: JSONValue, pointer: String, depth: Int) throws -> JSONSchemaNode {
        let canonical = value.serialized(sortedKeys: true)
        switch value {
        case .bool(let b):
            return JSONSchemaNode(b ? .trueSchema : .falseSchema, canonical: canonical)
        case .object:
            break
        default:
            throw SchemaError("a schema must be an object or a boolean, found \(value.typeName)", path: pointer)
        }

        var parts: [JSONSchemaNode] = []
        // Each part gets its own canonical text: Confluent collapses duplicate
        // subschemas by serialized form, and two parts of one object must not collide.
        var partCount = 0
        func make(_ kind: JSONSchemaNode.Kind) -> JSONSchemaNode {
            partCount += 1
            return JSONSchemaNode(kind, canonical: canonical + "#part\(partCount)")
        }

        if let ref = value["$ref"]?.stringValue {
            let refNode = make(.reference(ref))
            guard let target = document.resolve(ref, base: document.base(at: pointer)) else {
                throw SchemaError("unresolvable $ref '\(ref)' (only references within the document are supported)", path: pointer)
            }
            pendingRefs.append((refNode, target))
            if dialect.refOverridesSiblings {
                // Before 2019-09 everit ignores every keyword next to $ref.
                return annotate(refNode, from: value)
            }
            parts.append(refNode)
        }

        // Order follows everit's extractors: enum, combinators, not, const, type, sniffed keywords.
        if let values = value["enum"]?.arrayValue {
            parts.append(make(.enumeration(values)))
        }
        var combinators: [JSONSchemaNode] = []
        for criterion in [JSONSchemaCriterion.allOf, .anyOf, .oneOf] {
            guard let list = value[criterion.rawValue]?.arrayValue else { continue }
            var subs: [JSONSchemaNode] = []
            for (i, sub) in list.enumerated() {
                subs.append(try child(sub, pointer + "/" + criterion.rawValue, "\(i)", depth: depth))
            }
            combinators.append(make(.combined(criterion, subs)))
        }
        if combinators.count == 1 {
            parts.append(combinators[0])
        } else if combinators.count > 1 {
            parts.append(make(.combined(.allOf, combinators)))
        }
        if let notValue = value["not"] {
            parts.append(make(.not(try child(notValue, pointer, "not", depth: depth))))
        }
        if let constValue = value["const"] {
            parts.append(make(.constant(constValue)))
        }

        // Keyword groups of each type family (nil when the schema uses none of them).
        let stringKW = stringKeywords(value)
        let numberKW = numberKeywords(value)
        let objectKW = try objectKeywords(value, pointer: pointer, depth: depth)
        let arrayKW = try arrayKeywords(value, pointer: pointer, depth: depth)

        var typeNames: [String] = []
        if let t = value["type"]?.stringValue {
            typeNames = [t]
        } else if let list = value["type"]?.arrayValue {
            typeNames = list.compactMap(\.stringValue)
        }
        var consumed = Set<String>()
        var typed: [JSONSchemaNode] = []
        for name in typeNames {
            switch name {
            case "string":
                consumed.insert("string")
                typed.append(make(.string(stringKW ?? StringKeywords())))
            case "number", "integer":
                consumed.insert("number")
                var kw = numberKW ?? NumberKeywords()
                kw.requiresInteger = name == "integer"
                typed.append(make(.number(kw)))
            case "boolean":
                typed.append(make(.boolean))
            case "null":
                typed.append(make(.null))
            case "object":
                consumed.insert("object")
                typed.append(make(.object(objectKW ?? ObjectKeywords())))
            case "array":
                consumed.insert("array")
                typed.append(make(.array(arrayKW ?? ArrayKeywords())))
            default:
                throw SchemaError("unknown type '\(name)'", path: pointer + "/type")
            }
        }
        if typed.count == 1 {
            parts.append(typed[0])
        } else if typed.count > 1 {
            parts.append(make(.combined(.anyOf, typed)))
        }
        // Keywords of families the type did not name still load (everit's "property sniffing").
        if let arrayKW, !consumed.contains("array") { parts.append(make(.array(arrayKW))) }
        if let objectKW, !consumed.contains("object") { parts.append(make(.object(objectKW))) }
        if let numberKW, !consumed.contains("number") { parts.append(make(.number(numberKW))) }
        if let stringKW, !consumed.contains("string") { parts.append(make(.string(stringKW))) }
        if value["if"] != nil || value["then"] != nil || value["else"] != nil {
            parts.append(make(.conditional))
        }

        let result: JSONSchemaNode
        switch parts.count {
        case 0: result = make(.empty)
        case 1: result = parts[0]
        default: result = make(.combined(.allOf, parts))
        }
        result.canonical = canonical
        if !modern, case .array(var kw) = result.kind {
            // draft-07 everit keeps min/maxContains as unprocessed properties of the
            // effective schema, which Confluent's array diff still reads.
            kw.minContains = value["minContains"]?.int64Value.map { Int(clamping: $0) }
            kw.maxContains = value["maxContains"]?.int64Value.map { Int(clamping: $0) }
            result.kind = .array(kw)
        }
        return annotate(result, from: value)
    }

    private func annotate(_ node: JSONSchemaNode, from value: JSONValue) -> JSONSchemaNode {
        node.id = value[dialect.idKeyword]?.stringValue
        node.title = value["title"]?.stringValue
        node.description = value["description"]?.stringValue
        node.defaultValue = value["default"]
        return node
    }

    private func int(_ value: JSONValue, _ key: String) -> Int? {
        guard let v = value[key], case .number(let d, _) = v, d.isFinite else { return nil }
        return Int(clamping: Int64(max(min(d, 9e18), -9e18)))
    }

    private func stringKeywords(_ value: JSONValue) -> StringKeywords? {
        var keys = ["minLength", "maxLength", "pattern"]
        if !modern { keys.append("format") }
        guard keys.contains(where: { value[$0] != nil }) else { return nil }
        return StringKeywords(
            minLength: int(value, "minLength"),
            maxLength: int(value, "maxLength"),
            pattern: value["pattern"]?.stringValue
        )
    }

    private func numberKeywords(_ value: JSONValue) -> NumberKeywords? {
        let keys = ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"]
        guard keys.contains(where: { value[$0] != nil }) else { return nil }
        var kw = NumberKeywords()
        kw.minimum = value["minimum"]
        kw.maximum = value["maximum"]
        // draft-04's boolean exclusive flags are not limits; everit keeps them apart.
        if let e = value["exclusiveMinimum"], e.doubleValue != nil { kw.exclusiveMinimum = e }
        if let e = value["exclusiveMaximum"], e.doubleValue != nil { kw.exclusiveMaximum = e }
        kw.multipleOf = value["multipleOf"]
        return kw
    }

    private mutating func objectKeywords(_ value: JSONValue, pointer: String, depth: Int) throws -> ObjectKeywords? {
        var keys = ["properties", "required", "minProperties", "maxProperties", "dependencies",
                    "dependentRequired", "dependentSchemas", "patternProperties",
                    "additionalProperties", "propertyNames"]
        if modern { keys.append("unevaluatedProperties") }
        guard keys.contains(where: { value[$0] != nil }) else { return nil }
        var kw = ObjectKeywords()
        if let props = value["properties"]?.objectValue {
            for (name, sub) in props {
                kw.properties.removeAll(where: { $0.name == name })
                kw.properties.append((name, try child(sub, pointer + "/properties", name, depth: depth)))
            }
        }
        if let required = value["required"]?.arrayValue {
            kw.required = required.compactMap(\.stringValue)
        }
        if let additional = value["additionalProperties"] {
            if let b = additional.boolValue {
                kw.permitsAdditionalProperties = b
            } else {
                kw.additionalPropertiesSchema = try child(additional, pointer, "additionalProperties", depth: depth)
            }
        }
        if let patterns = value["patternProperties"]?.objectValue {
            for (pattern, sub) in patterns {
                kw.patternProperties.append((pattern, try child(sub, pointer + "/patternProperties", pattern, depth: depth)))
            }
        }
        for keyword in ["dependencies", "dependentRequired", "dependentSchemas"] {
            guard let deps = value[keyword]?.objectValue else { continue }
            for (name, dep) in deps {
                if let list = dep.arrayValue {
                    kw.propertyDependencies[name, default: []].formUnion(list.compactMap(\.stringValue))
                } else {
                    kw.schemaDependencies.append((name, try child(dep, pointer + "/" + keyword, name, depth: depth)))
                }
            }
        }
        kw.minProperties = int(value, "minProperties")
        kw.maxProperties = int(value, "maxProperties")
        if modern, let uneval = value["unevaluatedProperties"] {
            kw.unevaluatedProperties = try child(uneval, pointer, "unevaluatedProperties", depth: depth)
        }
        return kw
    }

    private mutating func arrayKeywords(_ value: JSONValue, pointer: String, depth: Int) throws -> ArrayKeywords? {
        var keys = ["items", "additionalItems", "minItems", "maxItems", "uniqueItems", "contains"]
        if modern { keys += ["prefixItems", "unevaluatedItems"] }
        guard keys.contains(where: { value[$0] != nil }) else { return nil }
        var kw = ArrayKeywords()
        if modern {
            let prefix = value["prefixItems"]?.arrayValue
            if let prefix {
                var schemas: [JSONSchemaNode] = []
                for (i, sub) in prefix.enumerated() {
                    schemas.append(try child(sub, pointer + "/prefixItems", "\(i)", depth: depth))
                }
                kw.itemSchemas = schemas
            }
            if let items = value["items"] {
                // json-sKema → everit translation: `false` closes the array, `true` is a no-op,
                // a schema constrains every item, or only those past the prefix.
                if let b = items.boolValue {
                    if !b { kw.permitsAdditionalItems = false }
                } else {
                    let node = try child(items, pointer, "items", depth: depth)
                    if prefix == nil || prefix?.isEmpty == true {
                        kw.allItemSchema = node
                    } else {
                        kw.additionalItemsSchema = node
                    }
                }
            }
            if let uneval = value["unevaluatedItems"] {
                kw.unevaluatedItems = try child(uneval, pointer, "unevaluatedItems", depth: depth)
            }
            if value["contains"] != nil {
                kw.minContains = int(value, "minContains") ?? 1
                kw.maxContains = int(value, "maxContains")
            }
        } else {
            if let items = value["items"] {
                if let tuple = items.arrayValue {
                    var schemas: [JSONSchemaNode] = []
                    for (i, sub) in tuple.enumerated() {
                        schemas.append(try child(sub, pointer + "/items", "\(i)", depth: depth))
                    }
                    kw.itemSchemas = schemas
                } else {
                    kw.allItemSchema = try child(items, pointer, "items", depth: depth)
                }
            }
            if let additional = value["additionalItems"] {
                if let b = additional.boolValue {
                    kw.permitsAdditionalItems = b
                } else {
                    kw.additionalItemsSchema = try child(additional, pointer, "additionalItems", depth: depth)
                }
            }
        }
        kw.minItems = int(value, "minItems")
        kw.maxItems = int(value, "maxItems")
        kw.uniqueItems = value["uniqueItems"]?.boolValue ?? false
        return kw
    }
}
