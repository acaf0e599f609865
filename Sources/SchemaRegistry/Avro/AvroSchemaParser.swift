/// Turns a JSON schema document into ``AvroType`` nodes, following Apache Avro's
/// Java `Schema.Parser` (which Confluent Schema Registry uses): same name
/// resolution, same validation, same error wording where practical.
struct AvroSchemaParser {
    /// Named types defined so far, by full name. A record is registered before its
    /// fields are parsed (so fields can refer to it: recursive types); its full
    /// definition replaces the placeholder once the fields are known.
    private(set) var namedTypes: [String: AvroType] = [:]
    let validateDefaults: Bool

    init(validateDefaults: Bool) {
        self.validateDefaults = validateDefaults
    }

    /// Parses one schema node: a name (string), a union (array) or a schema object.
    /// `namespace` is the enclosing namespace that unqualified names resolve against;
    /// `path` locates the node in the document for error messages.
    mutating func parse(_ json: JSONValue, namespace: String?, path: String) throws -> AvroType {
        switch json {
        case .string(let name):
            return try resolve(name: name, namespace: namespace, path: path)
        case .array(let branches):
            return try parseUnion(branches, namespace: namespace, path: path)
        case .object:
            return try parseObject(json, namespace: namespace, path: path)
        default:
            throw SchemaError("Schema not yet supported: \(json)", path: path)
        }
    }

    /// A schema given as a string: a primitive, or a named type already defined.
    private func resolve(name: String, namespace: String?, path: String) throws -> AvroType {
        if let primitive = AvroType.primitives[name] { return primitive }
        // Java tries the name in the current namespace first, then as written.
        if !name.contains("."), let namespace, namedTypes[namespace + "." + name] != nil {
            return .reference(namespace + "." + name)
        }
        if namedTypes[name] != nil { return .reference(name) }
        throw SchemaError("Undefined name: \"\(name)\"", path: path)
    }

    private mutating func parseUnion(_ branches: [JSONValue], namespace: String?, path: String) throws -> AvroType {
        var types: [AvroType] = []
        var seen = Set<String>()
        for (i, branch) in branches.enumerated() {
            let type = try parse(branch, namespace: namespace, path: "\(path)/\(i)")
            let key = unionKey(type)
            if key == "union" { throw SchemaError("Nested union: \(JSONValue.array(branches))", path: path) }
            guard seen.insert(key).inserted else { throw SchemaError("Duplicate in union:\(key)", path: path) }
            types.append(type)
        }
        return .union(types)
    }

    /// Java's `Schema.getFullName()` for a union branch: the full name of a named
    /// type, else the type's name — two branches may not share it.
    private func unionKey(_ type: AvroType) -> String {
        switch type {
        case .record(let r): return r.name.fullName
        case .enumeration(let e): return e.name.fullName
        case .fixed(let f): return f.name.fullName
        case .reference(let name): return name
        case .logical(_, let base): return unionKey(base)
        default: return type.javaTypeName.lowercased()
        }
    }

    private mutating func parseObject(_ json: JSONValue, namespace: String?, path: String) throws -> AvroType {
        guard let typeNode = json["type"] else { throw SchemaError("No type: \(json)", path: path) }
        guard case .string(let typeName) = typeNode else {
            // Java requires the text form here; `{"type": {"type": ...}}` is not a schema.
            throw SchemaError("No type: \(json)", path: path)
        }
        let base: AvroType
        switch typeName {
        case "record", "error":
            base = try parseRecord(json, isError: typeName == "error", namespace: namespace, path: path)
        case "enum":
            base = try parseEnum(json, namespace: namespace, path: path)
        case "fixed":
            base = try parseFixed(json, namespace: namespace, path: path)
        case "array":
            guard let items = json["items"] else { throw SchemaError("Array has no items type: \(json)", path: path) }
            base = .array(items: try parse(items, namespace: namespace, path: path + "/items"))
        case "map":
            guard let values = json["values"] else { throw SchemaError("Map has no values type: \(json)", path: path) }
            base = .map(values: try parse(values, namespace: namespace, path: path + "/values"))
        default:
            if let primitive = AvroType.primitives[typeName] {
                base = primitive
            } else {
                // `{"type": "SomeRecord"}` names an already-defined type.
                do {
                    return try resolve(name: typeName, namespace: namespace, path: path)
                } catch {
                    throw SchemaError("Type not supported: \(typeName)", path: path)
                }
            }
        }
        if case .string(let logicalName)? = json["logicalType"],
           let logical = AvroLogicalType.from(name: logicalName, properties: json, base: base) {
            return .logical(logical, base)
        }
        return base
    }

    // MARK: Named types

    /// Reads `name`/`namespace` of a named type definition (Java: `namespace`
    /// overrides the enclosing one; a dotted name overrides both).
    private func definitionName(_ json: JSONValue, namespace: String?, path: String) throws -> AvroName {
        guard case .string(let name)? = json["name"] else { throw SchemaError("No name in schema: \(json)", path: path) }
        var space = namespace
        if let explicit = json["namespace"] {
            guard case .string(let s) = explicit else { throw SchemaError("Namespace must be a string: \(explicit)", path: path + "/namespace") }
            space = s
        }
        do {
            return try AvroName(name, enclosingNamespace: space)
        } catch let error as SchemaError {
            throw SchemaError(error.message, path: path + "/name")
        }
    }

    private func aliases(_ json: JSONValue, namespace: String?, path: String) throws -> [String] {
        guard let node = json["aliases"] else { return [] }
        guard case .array(let items) = node else { throw SchemaError("aliases not an array: \(node)", path: path + "/aliases") }
        return try items.map { item in
            guard case .string(let alias) = item else { throw SchemaError("alias not a string: \(item)", path: path + "/aliases") }
            return try AvroName(alias, enclosingNamespace: namespace).fullName
        }
    }

    private mutating func register(_ name: AvroName, as type: AvroType, path: String) throws {
        guard namedTypes[name.fullName] == nil, AvroType.primitives[name.fullName] == nil else {
            throw SchemaError("Can't redefine: \(name.fullName)", path: path)
        }
        namedTypes[name.fullName] = type
    }

    private mutating func parseRecord(_ json: JSONValue, isError: Bool, namespace: String?, path: String) throws -> AvroType {
        let name = try definitionName(json, namespace: namespace, path: path)
        let aliases = try aliases(json, namespace: name.namespace, path: path)
        var record = AvroRecord(name: name, aliases: aliases, doc: json["doc"]?.stringValue, fields: [], isError: isError)
        // Registered before the fields so that they can refer to it (recursion).
        try register(name, as: .record(record), path: path)
        guard case .array(let fieldNodes)? = json["fields"] else { throw SchemaError("Record has no fields: \(json)", path: path) }
        var fieldNames = Set<String>()
        for (i, node) in fieldNodes.enumerated() {
            let fieldPath = "\(path)/fields/\(i)"
            let field = try parseField(node, namespace: name.namespace, path: fieldPath)
            guard fieldNames.insert(field.name).inserted else {
                throw SchemaError("Duplicate field \(field.name) in record \(name.fullName)", path: fieldPath)
            }
            record.fields.append(field)
        }
        namedTypes[name.fullName] = .record(record)
        return .record(record)
    }

    private mutating func parseField(_ json: JSONValue, namespace: String?, path: String) throws -> AvroField {
        guard case .object = json else { throw SchemaError("Field is not an object: \(json)", path: path) }
        guard case .string(let name)? = json["name"] else { throw SchemaError("No field name: \(json)", path: path) }
        do { try AvroName.validate(name) } catch let error as SchemaError { throw SchemaError(error.message, path: path + "/name") }
        guard let typeNode = json["type"] else { throw SchemaError("No field type: \(json)", path: path) }
        let type = try parse(typeNode, namespace: namespace, path: path + "/type")
        var order = AvroField.Order.ascending
        if let orderNode = json["order"] {
            guard let text = orderNode.stringValue, let parsed = AvroField.Order(rawValue: text.lowercased()) else {
                throw SchemaError("Invalid field order: \(orderNode)", path: path + "/order")
            }
            order = parsed
        }
        var defaultValue = json["default"]
        if let value = defaultValue {
            // Java accepts "NaN", "Infinity", … as float/double defaults and converts them.
            if case .string(let text) = value, [.float, .double].contains(stripLogical(type)),
               let number = Double(text) {
                defaultValue = .number(number, literal: text)
            }
            if validateDefaults, !isValidDefault(type, defaultValue!) {
                throw SchemaError("Invalid default for field \(name): \(value) not a \(AvroCanonicalForm.string(of: type, namedTypes: namedTypes))", path: path + "/default")
            }
        }
        var fieldAliases: [String] = []
        if let node = json["aliases"] {
            guard case .array(let items) = node else { throw SchemaError("aliases not an array: \(node)", path: path + "/aliases") }
            fieldAliases = try items.map {
                guard case .string(let alias) = $0 else { throw SchemaError("alias not a string: \($0)", path: path + "/aliases") }
                return alias
            }
        }
        return AvroField(name: name, type: type, defaultValue: defaultValue, aliases: fieldAliases, order: order, doc: json["doc"]?.stringValue)
    }

    private mutating func parseEnum(_ json: JSONValue, namespace: String?, path: String) throws -> AvroType {
        let name = try definitionName(json, namespace: namespace, path: path)
        let aliases = try aliases(json, namespace: name.namespace, path: path)
        guard case .array(let symbolNodes)? = json["symbols"] else { throw SchemaError("Enum has no symbols: \(json)", path: path) }
        var symbols: [String] = []
        var seen = Set<String>()
        for node in symbolNodes {
            guard case .string(let symbol) = node else { throw SchemaError("Null name", path: path + "/symbols") }
            do { try AvroName.validate(symbol) } catch let error as SchemaError { throw SchemaError(error.message, path: path + "/symbols") }
            guard seen.insert(symbol).inserted else { throw SchemaError("Duplicate enum symbol: \(symbol)", path: path + "/symbols") }
            symbols.append(symbol)
        }
        var defaultSymbol: String?
        if let node = json["default"] {
            guard case .string(let symbol) = node, seen.contains(symbol) else {
                throw SchemaError("The Enum Default: \(node) is not in the enum symbol set: \(symbols)", path: path + "/default")
            }
            defaultSymbol = symbol
        }
        let definition = AvroEnum(name: name, aliases: aliases, doc: json["doc"]?.stringValue, symbols: symbols, defaultSymbol: defaultSymbol)
        try register(name, as: .enumeration(definition), path: path)
        return .enumeration(definition)
    }

    private mutating func parseFixed(_ json: JSONValue, namespace: String?, path: String) throws -> AvroType {
        let name = try definitionName(json, namespace: namespace, path: path)
        let aliases = try aliases(json, namespace: name.namespace, path: path)
        guard let size = json["size"]?.int64Value, size >= 0, size <= Int32.max else {
            throw SchemaError("Invalid or no size: \(json)", path: path + "/size")
        }
        let definition = AvroFixed(name: name, aliases: aliases, doc: json["doc"]?.stringValue, size: Int(size))
        try register(name, as: .fixed(definition), path: path)
        return .fixed(definition)
    }

    // MARK: Defaults

    private func stripLogical(_ type: AvroType) -> AvroType {
        if case .logical(_, let base) = type { return stripLogical(base) }
        return type
    }

    /// Java's `Schema.isValidDefault`: the JSON default must have the shape of the
    /// type; a union's default must fit its first branch.
    func isValidDefault(_ type: AvroType, _ value: JSONValue) -> Bool {
        switch type {
        case .logical(_, let base):
            return isValidDefault(base, value)
        case .reference(let name):
            guard let definition = namedTypes[name] else { return false }
            return isValidDefault(definition, value)
        case .string, .bytes, .enumeration, .fixed:
            return value.stringValue != nil
        case .int:
            guard value.isIntegerLiteral, let n = value.int64Value else { return false }
            return Int32(exactly: n) != nil
        case .long:
            return value.isIntegerLiteral && value.int64Value != nil
        case .float, .double:
            return value.doubleValue != nil
        case .boolean:
            return value.boolValue != nil
        case .null:
            return value.isNull
        case .array(let items):
            guard let elements = value.arrayValue else { return false }
            return elements.allSatisfy { isValidDefault(items, $0) }
        case .map(let values):
            guard let members = value.objectValue else { return false }
            return members.allSatisfy { isValidDefault(values, $0.value) }
        case .union(let branches):
            guard let first = branches.first else { return false }
            return isValidDefault(first, value)
        case .record(let record):
            guard case .object = value else { return false }
            for field in record.fields {
                guard let fieldValue = value[field.name] ?? field.defaultValue, isValidDefault(field.type, fieldValue) else {
                    return false
                }
            }
            return true
        }
    }
}
