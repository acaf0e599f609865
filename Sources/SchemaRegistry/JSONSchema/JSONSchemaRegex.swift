import Foundation

/// ECMA-262-ish regular expressions for `pattern` and `patternProperties`,
/// via `NSRegularExpression`, compiled once per pattern string.
enum JSONSchemaRegex {
    private static let cache = RegexCache()

    /// Whether `pattern` matches anywhere in `string` (JSON Schema patterns are unanchored).
    /// A pattern that does not compile matches nothing.
    static func find(_ pattern: String, in string: String) -> Bool {
        guard let regex = compiled(pattern) else { return false }
        let range = NSRange(string.startIndex..<string.endIndex, in: string)
        return regex.firstMatch(in: string, options: [], range: range) != nil
    }

    /// The compiled pattern, or `nil` when it is not a valid expression.
    static func compiled(_ pattern: String) -> NSRegularExpression? {
        cache.regex(for: pattern)
    }
}

/// A small thread-safe cache of compiled expressions (bounded, so hostile input
/// with endless distinct patterns cannot grow it without limit).
private final class RegexCache: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String: NSRegularExpression?] = [:]

    func regex(for pattern: String) -> NSRegularExpression? {
        lock.lock()
        defer { lock.unlock() }
        if let hit = entries[pattern] { return hit }
        let compiled = try? NSRegularExpression(pattern: pattern, options: [])
        if entries.count > 1024 { entries.removeAll() }
        entries[pattern] = compiled
        return compiled
    }
}
