import Yams

/// Reads typed values out of composed YAML nodes and collects a
/// ``TopicsFileError`` for every node that does not fit, instead of stopping
/// at the first one.
///
/// Every read returns `nil` after reporting when the value is unusable, so
/// callers can keep going and find the file's other problems in the same run.
final class NodeReader {
    let fileName: String
    private(set) var errors: [TopicsFileError] = []

    init(fileName: String) {
        self.fileName = fileName
    }

    /// One `key: value` pair of a mapping whose key is a plain name.
    struct Entry {
        let key: String
        let keyNode: Node
        let value: Node
    }

    // MARK: Reporting

    func report(_ message: String, at node: Node) {
        report(message, line: node.mark?.line ?? 0, column: node.mark?.column ?? 0)
    }

    func report(_ message: String, line: Int, column: Int) {
        errors.append(TopicsFileError(fileName: fileName, line: line, column: column, message: message))
    }

    // MARK: Structure

    /// The node as a mapping, or `nil` after reporting `"<what> must be a mapping <context>"`.
    func mapping(_ node: Node, what: String, context: String) -> Node.Mapping? {
        if let mapping = node.mapping {
            return mapping
        }
        report("\(what) must be a mapping of keys to values \(context)", at: node)
        return nil
    }

    /// The mapping's entries in file order. Reports keys outside `allowed`
    /// (when given), keys that are not plain scalars, and repeated keys; those
    /// entries are dropped so a typo never silently takes effect.
    func entries(of mapping: Node.Mapping, allowed: Set<String>?, context: String) -> [Entry] {
        var seen: [String: Node] = [:]
        var result: [Entry] = []
        for (keyNode, value) in mapping {
            guard let key = keyNode.scalar?.string else {
                report("keys must be plain names \(context)", at: keyNode)
                continue
            }
            if let allowed, !allowed.contains(key) {
                report("unknown key '\(key)' \(context)", at: keyNode)
                continue
            }
            // libYAML accepts repeated keys; later ones would silently win, and in
            // a policy file that hides mistakes, so every repeat is an error.
            if let first = seen[key] {
                report("duplicate key '\(key)' \(context) (first at line \(first.mark?.line ?? 0))", at: keyNode)
                continue
            }
            seen[key] = keyNode
            result.append(Entry(key: key, keyNode: keyNode, value: value))
        }
        return result
    }

    // MARK: Scalars

    /// The text of a scalar value, or `nil` after reporting a missing value or a
    /// list/mapping where a single value belongs.
    func text(_ entry: Entry, context: String) -> String? {
        guard let scalar = entry.value.scalar else {
            report("'\(entry.key)' must be a single value, not a list or mapping, \(context)", at: entry.value)
            return nil
        }
        // An empty `key:` composes to a null scalar; treating it as "" would turn
        // a half-written line into a confusing parse error further on.
        if Self.isNull(entry.value) {
            report("missing value for '\(entry.key)' \(context)", at: entry.keyNode)
            return nil
        }
        return scalar.string
    }

    /// A decimal integer within `range`.
    func int(_ entry: Entry, in range: ClosedRange<Int64>, context: String) -> Int64? {
        guard let text = text(entry, context: context) else { return nil }
        guard let value = IntegerParser.int64(text) else {
            report("'\(entry.key)' must be an integer, got '\(text)', \(context)", at: entry.value)
            return nil
        }
        guard range.contains(value) else {
            report(rangeMessage(entry.key, text: text, value: value, range: range, context: context), at: entry.value)
            return nil
        }
        return value
    }

    /// `true` or `false`.
    func bool(_ entry: Entry, context: String) -> Bool? {
        guard let text = text(entry, context: context) else { return nil }
        switch text {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default:
            report("'\(entry.key)' must be true or false, got '\(text)', \(context)", at: entry.value)
            return nil
        }
    }

    /// A duration in milliseconds (see ``DurationParser``), at least `minimum`.
    /// With `allowInfinite`, `infinite` and `-1` read as `-1`, Kafka's "forever".
    func duration(_ entry: Entry, minimum: Int64 = 0, allowInfinite: Bool = false, context: String) -> Int64? {
        guard let text = text(entry, context: context) else { return nil }
        if allowInfinite, text == "infinite" || text == "-1" {
            return -1
        }
        do {
            let value = try DurationParser.milliseconds(from: text)
            guard value >= minimum else {
                report("'\(entry.key)' must be at least \(minimum) ms, got '\(text)', \(context)", at: entry.value)
                return nil
            }
            return value
        } catch {
            report("\(error.message) for '\(entry.key)' \(context)", at: entry.value)
            return nil
        }
    }

    /// A size in bytes (see ``SizeParser``) within `range`.
    /// With `allowInfinite`, `infinite` and `-1` read as `-1`, Kafka's "unlimited".
    func size(_ entry: Entry, in range: ClosedRange<Int64>, allowInfinite: Bool = false, context: String) -> Int64? {
        guard let text = text(entry, context: context) else { return nil }
        if allowInfinite, text == "infinite" || text == "-1" {
            return -1
        }
        do {
            let value = try SizeParser.bytes(from: text)
            guard range.contains(value) else {
                report(rangeMessage(entry.key, text: text, value: value, range: range, context: context), at: entry.value)
                return nil
            }
            return value
        } catch {
            report("\(error.message) for '\(entry.key)' \(context)", at: entry.value)
            return nil
        }
    }

    /// One of `choices`, matched exactly, or case-insensitively with `ignoringCase`.
    func choice<Value: RawRepresentable & CaseIterable>(
        _ entry: Entry, of type: Value.Type, problem: String, ignoringCase: Bool = false, context: String
    ) -> Value? where Value.RawValue == String {
        guard let text = text(entry, context: context) else { return nil }
        let wanted = ignoringCase ? text.uppercased() : text
        if let value = Value.allCases.first(where: { (ignoringCase ? $0.rawValue.uppercased() : $0.rawValue) == wanted }) {
            return value
        }
        let names = Value.allCases.map(\.rawValue)
        let listed = names.dropLast().joined(separator: ", ") + " or " + (names.last ?? "")
        report("\(problem) '\(text)' \(context) (use \(listed))", at: entry.value)
        return nil
    }

    /// Whether the node is YAML's null: an empty value, `~` or `null`, unquoted.
    static func isNull(_ node: Node) -> Bool {
        guard let scalar = node.scalar, scalar.style == .plain else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    private func rangeMessage(_ key: String, text: String, value: Int64, range: ClosedRange<Int64>, context: String) -> String {
        if value < range.lowerBound {
            return "'\(key)' must be at least \(range.lowerBound), got '\(text)', \(context)"
        }
        return "'\(key)' must be at most \(range.upperBound), got '\(text)', \(context)"
    }
}
