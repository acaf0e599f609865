import ArgumentParser
import Foundation
import SchemaRegistry

/// `eventctl schemas check-cases FILE` (DESIGN.md contract): reads JSON Lines
/// `{format, level, previous: [schema…], candidate, …}` and prints, for each
/// input line in order, `{"compatible": true|false, "messages": [...]}`.
///
/// A malformed line or schema yields `{"compatible": false, "messages": ["<error>"]}`
/// and processing continues; exit 0 once the file was processed, 1 if it can't be read.
struct SchemasCheckCasesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-cases",
        abstract: "Check schema compatibility cases from a JSON Lines file, one result line per case.")

    @Argument(help: "JSON Lines file of cases (the format of schema-compat-cases.jsonl).")
    var file: String

    func run() throws {
        let text: String
        do {
            text = try String(contentsOfFile: file, encoding: .utf8)
        } catch {
            FileHandle.standardError.write(Data("eventctl: cannot read \(file): \(error.localizedDescription)\n".utf8))
            throw ExitCode.failure
        }
        var output = ""
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        // A final newline ends the last line; it does not start another one.
        if lines.last?.isEmpty == true { lines.removeLast() }
        for line in lines {
            // Every input line gets an output line (the contract pairs them by position),
            // so a blank line is reported as malformed rather than skipped.
            let result = Self.evaluate(line: String(line))
            let json = JSONValue.object([
                (key: "compatible", value: .bool(result.isCompatible)),
                (key: "messages", value: .array(result.messages.map(JSONValue.string))),
            ])
            output += json.serialized() + "\n"
        }
        FileHandle.standardOutput.write(Data(output.utf8))
    }

    /// Evaluates one case line; every failure becomes an incompatible result.
    static func evaluate(line: String) -> CompatibilityResult {
        let json: JSONValue
        do {
            json = try JSONValue.parse(line)
        } catch {
            return .incompatible(["malformed case line: \(error)"])
        }
        guard case .object = json else { return .incompatible(["malformed case line: not a JSON object"]) }
        // Confluent's schemaType is absent for Avro, so a missing format means Avro.
        let formatName = json["format"]?.stringValue ?? "avro"
        guard let format = SchemaFormat(name: formatName) else {
            return .incompatible(["unknown format: \(formatName)"])
        }
        guard let levelName = json["level"]?.stringValue,
              let level = CompatibilityLevel(rawValue: levelName.uppercased()) else {
            return .incompatible(["missing or unknown level: \(json["level"].map { $0.serialized() } ?? "none")"])
        }
        guard let candidateNode = json["candidate"] else { return .incompatible(["missing candidate"]) }
        guard let previousNodes = (json["previous"] ?? .array([])).arrayValue else {
            return .incompatible(["previous is not an array"])
        }
        let candidate = schemaText(candidateNode)
        let previous = previousNodes.map(schemaText)
        switch format {
        case .avro:
            return AvroCompatibility.check(level: level, candidate: candidate, previous: previous)
        case .json:
            return jsonSchemaCheck(level: level, candidate: candidate, previous: previous)
        }
    }

    /// The JSON Schema engine's entry point (Sources/SchemaRegistry/JSONSchema/),
    /// kept behind this one function so the format switch has a single seam.
    static func jsonSchemaCheck(level: CompatibilityLevel, candidate: String, previous: [String]) -> CompatibilityResult {
        JSONSchemaCompatibility.check(level: level, candidate: candidate, previous: previous)
    }

    /// Schemas are normally JSON strings holding the schema text; an embedded
    /// JSON schema document is accepted too and passed on as its text.
    static func schemaText(_ node: JSONValue) -> String {
        node.stringValue ?? node.serialized()
    }
}
