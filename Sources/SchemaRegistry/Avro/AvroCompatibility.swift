/// Avro schema compatibility at the level of schema texts: the Avro half of the
/// registry's compatibility checks (the JSON Schema half is `JSONSchemaCompatibility`).
public enum AvroCompatibility {
    /// Incompatibility messages for reading data written with `writer` using
    /// `reader` (Avro schema resolution); empty when the reader can read it.
    public static func readerCanRead(_ reader: AvroSchema, writer: AvroSchema) -> [String] {
        var checker = AvroResolutionChecker(reader: reader, writer: writer)
        return checker.check()
    }

    /// Checks `candidate` against `previous` (oldest first) under `level`.
    ///
    /// The candidate is parsed strictly (as a new registration: defaults
    /// validated); previous schemas are loaded as already registered, without
    /// default validation, as Confluent does. Unparsable schemas make the result
    /// incompatible, with the parse error as the message.
    public static func check(level: CompatibilityLevel, candidate: String, previous: [String]) -> CompatibilityResult {
        let candidateSchema: AvroSchema
        do {
            candidateSchema = try AvroSchema(parsing: candidate)
        } catch {
            return .incompatible(["invalid candidate schema: \(error)"])
        }
        var history: [AvroSchema] = []
        for (i, text) in previous.enumerated() {
            do {
                history.append(try AvroSchema(parsing: text, validateDefaults: false))
            } catch {
                return .incompatible(["invalid previous schema \(i): \(error)"])
            }
        }
        return check(level: level, candidate: candidateSchema, previous: history)
    }

    /// Checks parsed schemas: `candidate` against `previous` (oldest first) under `level`.
    public static func check(level: CompatibilityLevel, candidate: AvroSchema, previous: [AvroSchema]) -> CompatibilityResult {
        CompatibilityChecker.check(level: level, candidate: candidate, previous: previous) { reader, writer in
            readerCanRead(reader, writer: writer)
        }
    }
}
