import Foundation

/// A JSON Schema (draft-04/06/07, 2019-09 or 2020-12) ready to validate payloads.
///
/// Covers the core and validation vocabularies: `type`, `enum`, `const`, numeric
/// and string limits (lengths in Unicode code points), `pattern`
/// (`NSRegularExpression`), array and object keywords including `prefixItems`,
/// `contains`/`minContains`/`maxContains`, dependencies, the combinators,
/// `if`/`then`/`else`, `unevaluatedProperties`/`unevaluatedItems`, and `$ref`
/// within the document (JSON pointers, `$defs`/`definitions`, `$id` and
/// `$anchor`). `format` is an annotation and is not asserted. Remote references
/// are not fetched; a `$ref` that does not resolve inside the document is
/// rejected when the schema is parsed.
///
/// Validation never traps on hostile input: nesting is bounded and reference
/// cycles that do not consume the instance are reported as errors.
///
/// ```swift
/// let schema = try JSONSchema(parsing: #"{"type":"object","required":["id"]}"#)
/// schema.validate(try JSONValue.parse("{}"))   // ["$: missing required property 'id'"]
/// ```
public struct JSONSchema: Sendable {
    let document: JSONSchemaDocument

    /// Parses a schema document.
    ///
    /// - Throws: ``SchemaError`` when the text is not JSON, the root is not an
    ///   object or boolean, or a subschema is malformed (for example a `$ref`
    ///   that does not resolve, or a keyword with a value of the wrong type).
    public init(parsing text: String) throws {
        try self.init(try JSONValue.parse(text))
    }

    /// Wraps an already parsed schema document (same checks as ``init(parsing:)``).
    public init(_ value: JSONValue) throws {
        let document = JSONSchemaDocument(root: value)
        // Loading the diff graph checks every subschema's shape and every $ref once, up front.
        _ = try JSONSchemaNodeLoader.load(document)
        self.document = document
    }

    /// The dialect named by `$schema` (draft-07 when absent).
    public var usesModernDialect: Bool { document.dialect == .modern }

    /// Validates one JSON instance.
    ///
    /// - Returns: one message per violation, each starting with the instance
    ///   location as a JSON pointer (`$` for the root, `$/items/0`); empty when valid.
    public func validate(_ instance: JSONValue) -> [String] {
        var validator = JSONSchemaValidator(document: document)
        return validator.validate(instance)
    }

    /// Validates the raw bytes of a JSON payload (UTF-8).
    ///
    /// - Returns: validation errors, or a single parse error when the bytes are not JSON.
    public func validate(payload: some Collection<UInt8>) -> [String] {
        guard let text = String(bytes: payload, encoding: .utf8) else {
            return ["$: payload is not valid UTF-8"]
        }
        do {
            return validate(try JSONValue.parse(text))
        } catch {
            return ["$: payload is not valid JSON: \(error)"]
        }
    }

    /// Whether `instance` satisfies the schema.
    public func isValid(_ instance: JSONValue) -> Bool {
        validate(instance).isEmpty
    }
}
