/// Writes Avro's Parsing Canonical Form (specification, "Transforming into
/// Parsing Canonical Form"), as Java's `SchemaNormalization` does: full names,
/// only the attributes that affect parsing (`name`, `type`, `fields`, `symbols`,
/// `items`, `values`, `size`) in that order, no logical types or docs, no
/// whitespace, and a named type written out once then referred to by name.
enum AvroCanonicalForm {
    static func string(of type: AvroType, namedTypes: [String: AvroType]) -> String {
        var out = ""
        var emitted = Set<String>()
        write(type, namedTypes: namedTypes, emitted: &emitted, to: &out)
        return out
    }

    private static func write(_ type: AvroType, namedTypes: [String: AvroType], emitted: inout Set<String>, to out: inout String) {
        switch type {
        case .null, .boolean, .int, .long, .float, .double, .bytes, .string:
            out += "\"" + type.javaTypeName.lowercased() + "\""
        case .logical(_, let base):
            write(base, namedTypes: namedTypes, emitted: &emitted, to: &out)
        case .array(let items):
            out += "{\"type\":\"array\",\"items\":"
            write(items, namedTypes: namedTypes, emitted: &emitted, to: &out)
            out += "}"
        case .map(let values):
            out += "{\"type\":\"map\",\"values\":"
            write(values, namedTypes: namedTypes, emitted: &emitted, to: &out)
            out += "}"
        case .union(let branches):
            out += "["
            for (i, branch) in branches.enumerated() {
                if i > 0 { out += "," }
                write(branch, namedTypes: namedTypes, emitted: &emitted, to: &out)
            }
            out += "]"
        case .reference(let name):
            if emitted.contains(name) || namedTypes[name] == nil {
                JSONValue.writeString(name, to: &out)
            } else {
                // Only reachable for a hand-built tree whose first use is a reference.
                write(namedTypes[name]!, namedTypes: namedTypes, emitted: &emitted, to: &out)
            }
        case .record(let record):
            guard beginNamed(record.name, kind: "record", emitted: &emitted, to: &out) else { return }
            out += ",\"fields\":["
            for (i, field) in record.fields.enumerated() {
                if i > 0 { out += "," }
                out += "{\"name\":"
                JSONValue.writeString(field.name, to: &out)
                out += ",\"type\":"
                write(field.type, namedTypes: namedTypes, emitted: &emitted, to: &out)
                out += "}"
            }
            out += "]}"
        case .enumeration(let definition):
            guard beginNamed(definition.name, kind: "enum", emitted: &emitted, to: &out) else { return }
            out += ",\"symbols\":"
            out += JSONValue.array(definition.symbols.map(JSONValue.string)).serialized()
            out += "}"
        case .fixed(let fixed):
            guard beginNamed(fixed.name, kind: "fixed", emitted: &emitted, to: &out) else { return }
            out += ",\"size\":\(fixed.size)}"
        }
    }

    /// Writes the opening of a named type's definition, or just its name (and
    /// returns `false`) when it has been written already.
    private static func beginNamed(_ name: AvroName, kind: String, emitted: inout Set<String>, to out: inout String) -> Bool {
        guard emitted.insert(name.fullName).inserted else {
            JSONValue.writeString(name.fullName, to: &out)
            return false
        }
        out += "{\"name\":"
        JSONValue.writeString(name.fullName, to: &out)
        out += ",\"type\":\"\(kind)\""
        return true
    }
}
