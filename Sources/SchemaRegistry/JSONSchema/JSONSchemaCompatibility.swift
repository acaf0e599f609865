/// Schema evolution rules for JSON Schema, as Confluent Schema Registry applies them
/// (its STRICT policy, the default).
///
/// A change from a writer's schema to a reader's schema is compatible only when
/// every difference Confluent's JSON Schema diff finds between them is on its
/// list of compatible changes — e.g. relaxing a bound, adding an optional property
/// to a closed content model, or removing a property from an open one.
public enum JSONSchemaCompatibility {
    /// Checks `candidate` against `previous` (oldest first) under `level`.
    ///
    /// BACKWARD diffs each previous schema (original) against the candidate (update),
    /// FORWARD the other way round, FULL both; transitive levels use every previous
    /// schema, the others only the latest. A schema that fails to parse makes the
    /// result incompatible, with the parse error as its message.
    ///
    /// - Returns: the verdict, and for each incompatible change a message
    ///   `CHANGE_TYPE #/json/path` naming Confluent's change type.
    public static func check(level: CompatibilityLevel, candidate: String, previous: [String]) -> CompatibilityResult {
        guard level != .none, !previous.isEmpty else { return .compatible }
        let candidateNode: JSONSchemaNode
        do {
            candidateNode = try loadForDiff(candidate)
        } catch {
            return .incompatible(["candidate schema is invalid: \(error)"])
        }
        var previousNodes: [JSONSchemaNode] = []
        for (i, text) in previous.enumerated() {
            do {
                previousNodes.append(try loadForDiff(text))
            } catch {
                return .incompatible(["previous schema \(i) is invalid: \(error)"])
            }
        }
        return CompatibilityChecker.check(
            level: level, candidate: candidateNode, previous: previousNodes
        ) { reader, writer in
            incompatibilities(writer: writer, reader: reader)
        }
    }

    /// The incompatible changes when data written with `writer` is read with `reader`
    /// (Confluent's `reader.isBackwardCompatible(writer)`: original = writer, update = reader).
    static func incompatibilities(writer: JSONSchemaNode, reader: JSONSchemaNode) -> [String] {
        JSONSchemaDiff.compare(original: writer, update: reader)
            .filter { !$0.change.isCompatible }
            .map(\.message)
    }

    /// Parses schema text into the graph the diff compares.
    static func loadForDiff(_ text: String) throws -> JSONSchemaNode {
        let json = try JSONValue.parse(text)
        return try JSONSchemaNodeLoader.load(JSONSchemaDocument(root: json))
    }
}
