/// One loaded JSON Schema in the shape Confluent's compatibility diff sees it.
///
/// Confluent compares schemas only after the everit library has loaded them into
/// typed objects (`StringSchema`, `ObjectSchema`, `CombinedSchema`, …); keywords
/// of different type families in one schema object become a synthetic `allOf`,
/// `type: [a, b]` becomes an `anyOf`, and so on. Reproducing that shape is what
/// makes our verdicts match theirs, so the diff works on this model rather than
/// on raw JSON. Nodes are reference types on purpose: the diff memoizes and
/// detects recursion by node identity, exactly as Confluent does.
final class JSONSchemaNode {
    /// The everit schema class this node stands for.
    enum Kind {
        /// `{}` (or a schema object with no constraining keyword).
        case empty
        /// The boolean schema `true`; everit's `TrueSchema` is a subclass of `EmptySchema`.
        case trueSchema
        /// The boolean schema `false`.
        case falseSchema
        case string(StringKeywords)
        case number(NumberKeywords)
        case boolean
        case null
        case object(ObjectKeywords)
        case array(ArrayKeywords)
        case enumeration([JSONValue])
        case constant(JSONValue)
        /// `allOf` / `anyOf` / `oneOf`; `synthetic` marks ones the loader made up.
        case combined(JSONSchemaCriterion, [JSONSchemaNode])
        case not(JSONSchemaNode)
        /// A `$ref`; ``JSONSchemaNode/referred`` is filled in once the target is loaded.
        case reference(String)
        /// `if` / `then` / `else`: Confluent's diff does not look inside it.
        case conditional
    }

    var kind: Kind
    var id: String?
    var title: String?
    var description: String?
    var defaultValue: JSONValue?
    /// The target of a `.reference` node (nil until resolved, or for other kinds).
    var referred: JSONSchemaNode?
    /// Canonical text of the source JSON, used where Confluent collapses
    /// duplicate subschemas by comparing their serialized form.
    var canonical: String

    init(_ kind: Kind, canonical: String) {
        self.kind = kind
        self.canonical = canonical
    }

    /// The everit class name, used to decide "same type" like `getClass().equals`.
    var className: String {
        switch kind {
        case .empty: return "EmptySchema"
        case .trueSchema: return "TrueSchema"
        case .falseSchema: return "FalseSchema"
        case .string: return "StringSchema"
        case .number: return "NumberSchema"
        case .boolean: return "BooleanSchema"
        case .null: return "NullSchema"
        case .object: return "ObjectSchema"
        case .array: return "ArraySchema"
        case .enumeration: return "EnumSchema"
        case .constant: return "ConstSchema"
        case .combined: return "CombinedSchema"
        case .not: return "NotSchema"
        case .reference: return "ReferenceSchema"
        case .conditional: return "ConditionalSchema"
        }
    }

    /// `instanceof EmptySchema` (true for `{}` and for `true`).
    var isEmptySchema: Bool {
        switch kind {
        case .empty, .trueSchema: return true
        default: return false
        }
    }

    var isFalseSchema: Bool {
        if case .falseSchema = kind { return true }
        return false
    }

    var hasDefaultValue: Bool { defaultValue != nil }
}

/// The three combinators, spelled as everit prints them (they appear in diff paths).
enum JSONSchemaCriterion: String {
    case allOf, anyOf, oneOf
}

/// String keywords of a loaded schema (everit's `StringSchema`).
struct StringKeywords {
    var minLength: Int?
    var maxLength: Int?
    var pattern: String?
}

/// Numeric keywords of a loaded schema (everit's `NumberSchema`).
struct NumberKeywords {
    var minimum: JSONValue?
    var maximum: JSONValue?
    var exclusiveMinimum: JSONValue?
    var exclusiveMaximum: JSONValue?
    var multipleOf: JSONValue?
    var requiresInteger = false
}

/// Object keywords of a loaded schema (everit's `ObjectSchema`).
struct ObjectKeywords {
    var properties: [(name: String, schema: JSONSchemaNode)] = []
    var required: [String] = []
    /// `false` only for `additionalProperties: false`.
    var permitsAdditionalProperties = true
    /// Set for `additionalProperties: <schema object>` (not for booleans).
    var additionalPropertiesSchema: JSONSchemaNode?
    var patternProperties: [(pattern: String, schema: JSONSchemaNode)] = []
    var propertyDependencies: [String: Set<String>] = [:]
    var schemaDependencies: [(name: String, schema: JSONSchemaNode)] = []
    var minProperties: Int?
    var maxProperties: Int?
    /// 2020-12 only; draft-07 loading leaves it unprocessed, as everit does.
    var unevaluatedProperties: JSONSchemaNode?

    func property(_ name: String) -> JSONSchemaNode? {
        properties.first(where: { $0.name == name })?.schema
    }

    func schemaDependency(_ name: String) -> JSONSchemaNode? {
        schemaDependencies.first(where: { $0.name == name })?.schema
    }
}

/// Array keywords of a loaded schema (everit's `ArraySchema`).
struct ArrayKeywords {
    /// `items: <schema>` without a tuple.
    var allItemSchema: JSONSchemaNode?
    /// The tuple: draft-07 `items: [...]`, 2020-12 `prefixItems`.
    var itemSchemas: [JSONSchemaNode]?
    /// `false` for `additionalItems: false` (2020-12: `items: false` after `prefixItems`).
    var permitsAdditionalItems = true
    var additionalItemsSchema: JSONSchemaNode?
    var minItems: Int?
    var maxItems: Int?
    var uniqueItems = false
    var minContains: Int?
    var maxContains: Int?
    /// 2020-12 only.
    var unevaluatedItems: JSONSchemaNode?
}
