import Foundation

/// A parsed JSON Schema document plus what `$ref` resolution needs: the dialect,
/// every `$id` / `$anchor` inside it, and the base URI in scope at each schema.
///
/// Only references within the document are supported (the registry has no
/// remote fetching, by design): `#`, `#/json/pointer`, `#anchor`, and URIs that
/// resolve to an `$id` declared somewhere in the same document.
struct JSONSchemaDocument {
    /// The dialects whose loading rules differ.
    enum Dialect {
        case draft4, draft6, draft7
        /// 2019-09 and 2020-12 (Confluent loads both with its "latest draft" path).
        case modern

        /// `$ref` replaces its siblings before 2019-09.
        var refOverridesSiblings: Bool { self != .modern }
        var idKeyword: String { self == .draft4 ? "id" : "$id" }
    }

    /// Base URI given to a document without a root `$id`, so relative references still resolve.
    static let defaultBase = "mem://input/schema.json"

    let root: JSONValue
    let dialect: Dialect
    /// Absolute URI (no fragment) of every schema with an `$id` → its JSON pointer.
    private(set) var idIndex: [String: String] = [:]
    /// `uri#anchor` → JSON pointer.
    private(set) var anchorIndex: [String: String] = [:]
    /// JSON pointer of each schema object → base URI in scope there.
    private(set) var baseByPointer: [String: String] = [:]

    init(root: JSONValue) {
        self.root = root
        self.dialect = JSONSchemaDocument.dialect(of: root)
        let rootBase = resolveURI(root[dialect.idKeyword]?.stringValue ?? "", against: Self.defaultBase)
        idIndex[stripFragment(Self.defaultBase)] = ""
        index(root, pointer: "", base: rootBase)
    }

    /// The dialect named by `$schema`; draft-07 when absent or unknown, as Confluent does.
    static func dialect(of root: JSONValue) -> Dialect {
        guard let uri = root["$schema"]?.stringValue else { return .draft7 }
        if uri.contains("2020-12") || uri.contains("2019-09") { return .modern }
        if uri.contains("draft-04") { return .draft4 }
        if uri.contains("draft-06") { return .draft6 }
        return .draft7
    }

    /// Keywords whose values are data, not subschemas: never indexed for `$id`s.
    private static let dataKeywords: Set<String> = ["enum", "const", "default", "examples"]

    private mutating func index(_ value: JSONValue, pointer: String, base: String) {
        switch value {
        case .object(let members):
            var base = base
            if let id = value[dialect.idKeyword]?.stringValue {
                if id.hasPrefix("#") {
                    // draft-06/07 plain-name fragment ids act as anchors.
                    anchorIndex[stripFragment(base) + id] = pointer
                } else {
                    base = resolveURI(id, against: base)
                    idIndex[stripFragment(base)] = pointer
                    if let hash = base.firstIndex(of: "#"), base[base.index(after: hash)...].count > 0 {
                        anchorIndex[base] = pointer
                    }
                }
            }
            if let anchor = value["$anchor"]?.stringValue ?? value["$dynamicAnchor"]?.stringValue {
                anchorIndex[stripFragment(base) + "#" + anchor] = pointer
            }
            baseByPointer[pointer] = base
            for (key, member) in members where !Self.dataKeywords.contains(key) {
                index(member, pointer: pointer + "/" + Self.escape(key), base: base)
            }
        case .array(let items):
            for (i, item) in items.enumerated() {
                index(item, pointer: pointer + "/\(i)", base: base)
            }
        default:
            break
        }
    }

    /// The base URI in scope at `pointer` (the nearest indexed ancestor's).
    func base(at pointer: String) -> String {
        var p = pointer
        while true {
            if let b = baseByPointer[p] { return b }
            guard let slash = p.lastIndex(of: "/") else { return baseByPointer[""] ?? Self.defaultBase }
            p = String(p[..<slash])
        }
    }

    /// Resolves `ref` (as written at a schema whose base is `base`) to a JSON pointer in this document.
    func resolve(_ ref: String, base: String) -> String? {
        let absolute = resolveURI(ref, against: base)
        let documentURI = stripFragment(absolute)
        let fragment: String
        if let hash = absolute.firstIndex(of: "#") {
            fragment = String(absolute[absolute.index(after: hash)...])
        } else {
            fragment = ""
        }
        let decoded = fragment.removingPercentEncoding ?? fragment
        if !decoded.isEmpty, !decoded.hasPrefix("/") {
            return anchorIndex[documentURI + "#" + decoded]
        }
        guard let start = idIndex[documentURI] else { return nil }
        let pointer = start + decoded
        return value(at: pointer) == nil ? nil : pointer
    }

    /// The value at a JSON pointer (RFC 6901) in the document.
    func value(at pointer: String) -> JSONValue? {
        if pointer.isEmpty { return root }
        guard pointer.hasPrefix("/") else { return nil }
        var current = root
        for rawToken in pointer.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            let token = rawToken.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            switch current {
            case .object:
                guard let next = current[token] else { return nil }
                current = next
            case .array(let items):
                guard let i = Int(token), i >= 0, i < items.count else { return nil }
                current = items[i]
            default:
                return nil
            }
        }
        return current
    }

    /// Escapes one JSON pointer token.
    static func escape(_ token: String) -> String {
        token.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }
}

/// `uri` resolved against `base` (RFC 3986), falling back to `uri` itself.
private func resolveURI(_ uri: String, against base: String) -> String {
    if uri.isEmpty { return base }
    if uri.hasPrefix("#") { return stripFragment(base) + uri }
    if let url = URL(string: uri, relativeTo: URL(string: base)) {
        return url.absoluteString
    }
    return uri
}

private func stripFragment(_ uri: String) -> String {
    if let hash = uri.firstIndex(of: "#") { return String(uri[..<hash]) }
    return uri
}
