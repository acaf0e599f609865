import Foundation
import Testing
@testable import SchemaRegistry

/// Runs every JSON Schema case of `../shared/conformance/schema-compat-cases.jsonl`
/// (Confluent's own test expectations, plus FORWARD mirrors) through
/// ``JSONSchemaCompatibility/check(level:candidate:previous:)``.
@Suite struct JSONSchemaConformanceTests {
    /// Line numbers (0-based, counting every line of the file) of JSON cases we
    /// knowingly get wrong, each with the reason. Keep this list honest: a case
    /// that starts passing must be removed from it (the test fails otherwise).
    static let knownFailures: [Int: String] = [:]

    struct Case {
        let line: Int
        let level: CompatibilityLevel
        let previous: [String]
        let candidate: String
        let compatible: Bool
        let description: String
    }

    static func loadCases() throws -> [Case] {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent() // JSONSchema
            .deletingLastPathComponent() // SchemaRegistryTests
            .deletingLastPathComponent() // Tests
            .deletingLastPathComponent() // repo
            .deletingLastPathComponent()
            .appendingPathComponent("shared/conformance/schema-compat-cases.jsonl")
        let text = try String(contentsOf: url, encoding: .utf8)
        var cases: [Case] = []
        for (line, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            guard !raw.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
            let json = try JSONValue.parse(String(raw))
            guard json["format"]?.stringValue == "json" else { continue }
            let level = try #require(CompatibilityLevel(rawValue: json["level"]?.stringValue ?? ""))
            // `compatible` (Confluent's default STRICT policy), never `compatible_lenient`.
            guard let expected = json["compatible"]?.boolValue else {
                Issue.record("line \(line) has no boolean `compatible`")
                continue
            }
            cases.append(Case(
                line: line,
                level: level,
                previous: (json["previous"]?.arrayValue ?? []).compactMap(\.stringValue),
                candidate: try #require(json["candidate"]?.stringValue),
                compatible: expected,
                description: json["description"]?.stringValue ?? ""
            ))
        }
        return cases
    }

    @Test func allJSONSchemaCasesMatchConfluent() throws {
        let cases = try Self.loadCases()
        #expect(cases.count == 413)
        var passed = 0
        var unexpected: [String] = []
        for c in cases {
            let result = JSONSchemaCompatibility.check(level: c.level, candidate: c.candidate, previous: c.previous)
            let ok = result.isCompatible == c.compatible
            if ok { passed += 1 }
            if ok == (Self.knownFailures[c.line] == nil) { continue }
            if ok {
                unexpected.append("line \(c.line) now passes; remove it from knownFailures")
            } else {
                unexpected.append("line \(c.line) [\(c.level.rawValue)] \(c.description): expected \(c.compatible), got \(result.isCompatible) \(result.messages)")
            }
        }
        print("JSON Schema conformance: \(passed)/\(cases.count) pass")
        #expect(unexpected.isEmpty, "\(unexpected.joined(separator: "\n"))")
    }
}
