import Foundation
import Testing
@testable import SchemaRegistry

/// Every Avro case of the shared conformance file (expected answers from the
/// test suites of Confluent Schema Registry and Apache Avro) must agree.
@Suite("Avro conformance cases")
struct AvroConformanceTests {
    /// `<repo>/../shared/conformance/schema-compat-cases.jsonl`, found from this file's
    /// location (Tests/SchemaRegistryTests/Avro/) so it works in CI too.
    static let casesURL = URL(fileURLWithPath: #filePath)
        .resolvingSymlinksInPath()
        .deletingLastPathComponent()  // Avro
        .deletingLastPathComponent()  // SchemaRegistryTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // repo root
        .appendingPathComponent("../shared/conformance/schema-compat-cases.jsonl")
        .standardizedFileURL

    struct Case: CustomTestStringConvertible, Sendable {
        var line: Int
        var level: CompatibilityLevel
        var previous: [String]
        var candidate: String
        var compatible: Bool
        var derived: Bool
        var description: String
        var testDescription: String { "line \(line): \(level.rawValue) \(derived ? "(derived) " : "")\(description)" }
    }

    static func loadCases() throws -> [Case] {
        let text = try String(contentsOf: casesURL, encoding: .utf8)
        var cases: [Case] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where !line.isEmpty {
            let json = try JSONValue.parse(String(line))
            guard json["format"]?.stringValue == "avro" else { continue }
            guard let level = json["level"]?.stringValue.flatMap(CompatibilityLevel.init(rawValue:)),
                  let candidate = json["candidate"]?.stringValue,
                  let previous = json["previous"]?.arrayValue?.compactMap(\.stringValue),
                  let compatible = json["compatible"]?.boolValue else {
                throw SchemaError("malformed case", path: "line \(index + 1)")
            }
            cases.append(Case(
                line: index + 1, level: level, previous: previous, candidate: candidate, compatible: compatible,
                derived: json["derived"] != nil && json["derived"] != .bool(false),
                description: json["description"]?.stringValue ?? ""))
        }
        return cases
    }

    @Test func allAvroCasesAgree() throws {
        let cases = try Self.loadCases()
        #expect(cases.count == 301, "the README counts 301 Avro cases")
        var passed = 0
        for testCase in cases {
            let result = AvroCompatibility.check(level: testCase.level, candidate: testCase.candidate, previous: testCase.previous)
            if result.isCompatible == testCase.compatible {
                passed += 1
            } else {
                Issue.record("\(testCase.testDescription): expected \(testCase.compatible), got \(result.isCompatible) \(result.messages)")
            }
        }
        #expect(passed == cases.count, "\(passed)/\(cases.count) Avro conformance cases pass")
    }
}
